import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { isPostgresStoreError, openPostgresStore } from '../src/index.js'

// The run's server takes plain connections only (no TLS) and trusts everyone (no password).

/** Runs `work` with `setup` made by the server's superuser, and `cleanup` run afterwards whatever happens. */
async function asSuperuser(url: string, setup: readonly string[], cleanup: readonly string[], work: (admin: pg.Client) => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    for (const statement of setup) await admin.query(statement)
    await work(admin)
  } finally {
    for (const statement of cleanup) await admin.query(statement)
    await admin.end()
  }
}

describe('a user the server lets in', () => {
  it('is told a statement was refused, not the connection, when it may not make the schema', async () => {
    const url = inject('postgresUrl')
    const role = `limited_${String(process.pid)}`
    await asSuperuser(url, [`CREATE ROLE ${role} LOGIN`], [`DROP ROLE ${role}`], async () => {
      const limited = new URL(url)
      limited.username = role
      const error: unknown = await openPostgresStore({ url: limited.href, schema: `${role}_schema` }).catch((caught: unknown) => caught)
      expect(isPostgresStoreError(error, 'TEAM_REFUSED')).toBe(true)
      expect((error as Error).message).toContain('refused a statement of this user: permission denied for database')
      expect((error as Error).message).not.toContain('refused the connection')
    })
  })
})

describe('a schema of another program', () => {
  it('is named as such, for writing and for reading, and nothing is set up in it', async () => {
    const url = inject('postgresUrl')
    const schema = `other_${String(process.pid)}`
    await asSuperuser(url, [`CREATE SCHEMA ${schema}`, `CREATE TABLE ${schema}.records (id int)`], [`DROP SCHEMA ${schema} CASCADE`], async (admin) => {
      for (const mode of ['write', 'read'] as const) {
        const error: unknown = await openPostgresStore({ url, schema, mode }).catch((caught: unknown) => caught)
        expect(isPostgresStoreError(error, 'INVALID_OPTION'), mode).toBe(true)
        expect((error as Error).message, mode).toContain(`Schema "${schema}" of the team database at ${url} holds tables that are not agent-tracker's (records): give agent-tracker a schema of its own`)
      }
      const tables = await admin.query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1', [schema])
      expect(tables.rows.map((row) => row.name)).toEqual(['records'])
    })
  })
})

describe('the connection settings', () => {
  it('says the server has TLS off when the URL asks for TLS', async () => {
    const error: unknown = await openPostgresStore({ url: `${inject('postgresUrl')}?sslmode=verify-full`, mode: 'read' }).catch((caught: unknown) => caught)
    expect(isPostgresStoreError(error, 'TEAM_TLS')).toBe(true)
    expect((error as Error).message).toContain('does not take TLS connections (ssl is off on the server)')
  })

  it('lets ssl: false turn off the TLS the URL asks for, and asks for no password the server does not want', async () => {
    const store = await openPostgresStore({ url: `${inject('postgresUrl')}?sslmode=verify-full`, ssl: false, schema: 'connection_plain' })
    expect(await store.migration()).toBeGreaterThan(0)
    await store.close()
  })

  it('refuses a sslrootcert it cannot read as an invalid URL, before connecting', async () => {
    const error: unknown = await openPostgresStore({ url: `${inject('postgresUrl')}?sslmode=verify-full&sslrootcert=/nowhere/ca.pem` }).catch((caught: unknown) => caught)
    expect(isPostgresStoreError(error, 'INVALID_OPTION')).toBe(true)
    expect((error as Error).message).toMatch(/^Invalid team database URL ".*": sslrootcert \/nowhere\/ca\.pem cannot be read \(ENOENT\); name a readable PEM file\.$/)
  })
})
