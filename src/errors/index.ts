export { AppError, ConfigError, ConnectorError, ModelError, StorageError, ToolError } from './appError';
