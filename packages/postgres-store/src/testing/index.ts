// Test helpers for a real PostgreSQL: a throwaway cluster in a temporary folder (Node only).

export type { TestCertificates } from './certificates.js'
export { createTestCertificates } from './certificates.js'
export type { PostgresServer, PostgresServerOptions } from './postgres-server.js'
export { startPostgresServer } from './postgres-server.js'
export type { SyntheticActivities } from './synthetic-activities.js'
export { insertSyntheticActivities } from './synthetic-activities.js'
export type { QuietableProxy } from './quietable-proxy.js'
export { startQuietableProxy } from './quietable-proxy.js'
