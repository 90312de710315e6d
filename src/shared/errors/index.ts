export {
  AppError,
  type AppErrorOptions,
  ConfigError,
  ConnectorError,
  ETagConflictError,
  ModelError,
  StorageError,
  ToolError,
} from './appError';
export { newErrorId } from './errorId';
