/**
 * The storage backend in one place: SQLite (embedded, one instance) or PostgreSQL (DATABASE_URL, several
 * instances), every store built on the one the configuration selects.
 */
export {
  backendSettings,
  describePostgresUrl,
  openBackend,
  type Backend,
  type BackendSettings,
  type OpenBackendOptions,
} from './openBackend';
