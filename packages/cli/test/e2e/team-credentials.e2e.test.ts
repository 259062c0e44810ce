import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import type { PostgresServer, TestCertificates } from '@agent-tracker/postgres-store/testing'
import { createTestCertificates, startPostgresServer } from '@agent-tracker/postgres-store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliRun } from '../run-cli.js'
import { jsonData, jsonError, runBuiltCli, tempFolder } from '../run-cli.js'
import { machineFacts } from './machine-workload.js'

// The team connection as a user sets it up: a PostgreSQL that asks for a password (scram-sha-256)
// and takes only TLS connections (hostssl; hostnossl … reject), reached by the built
// `agent-tracker` with the password in ~/.pgpass or PGPASSWORD, never in a file of the tracker's.

const PASSWORD = `pw-${randomBytes(9).toString('hex')}`
const FACTS = 40

let server: PostgresServer
let tls: TestCertificates
/** The team database's URL, without password or TLS settings. */
let plainUrl: string
/** The same, verifying the server's certificate against the test authority. */
let verifiedUrl: string
let local: string

beforeAll(async () => {
  server = await startPostgresServer({ password: PASSWORD, tls: true })
  if (server.tls === undefined) throw new Error('the server was started without TLS')
  tls = server.tls
  plainUrl = await server.createDatabase('team')
  verifiedUrl = `${plainUrl}?sslmode=verify-full&sslrootcert=${encodeURIComponent(tls.caFile)}`
  local = join(tempFolder('machine-'), 'tracker.lmdb')
  const store = openLmdbStore({ databasePath: local })
  await store.applyFacts(machineFacts(0, FACTS))
  await store.close()
}, 120_000)

afterAll(async () => {
  await server.destroy()
})

/** A home folder, with a ~/.pgpass of these lines (mode 0600 unless given) and a config file's `team`, when given. */
function home(options: { pgpass?: readonly string[]; pgpassMode?: number; team?: Record<string, unknown> } = {}): string {
  const folder = tempFolder('home-')
  if (options.pgpass !== undefined) writeFileSync(join(folder, '.pgpass'), `${options.pgpass.join('\n')}\n`, { mode: options.pgpassMode ?? 0o600 })
  if (options.team !== undefined) {
    mkdirSync(join(folder, '.config', 'agent-tracker'), { recursive: true })
    writeFileSync(join(folder, '.config', 'agent-tracker', 'config.json'), JSON.stringify({ team: options.team }))
  }
  return folder
}

const pgpassLine = (): string => `127.0.0.1:${String(server.port)}:team:tracker:${PASSWORD}`

/** Runs the built CLI; whatever it printed never holds the password. */
async function run(args: readonly string[], options: { home: string; env?: Record<string, string | undefined> }): Promise<CliRun> {
  const result = await runBuiltCli(args, { home: options.home, env: { AGENT_TRACKER_TEAM_MEMBER: 'ana', PGPASSWORD: undefined, PGPASSFILE: undefined, PGSSLMODE: undefined, ...options.env } })
  expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD)
  return result
}

/** The team's `agents` equal this machine's: the sync and the team read both went through. */
async function expectTeamRead(options: { home: string; env?: Record<string, string | undefined> }): Promise<void> {
  const team = await run(['agents', '--team', '--json'], options)
  expect(team.code, team.stderr).toBe(0)
  expect(jsonData(team.stdout, 'agents')).toEqual(jsonData((await run(['agents', '--db', local, '--json'], { home: options.home })).stdout, 'agents'))
}

/** A failed `--json` run: its exit code and the envelope's error. */
async function failure(args: readonly string[], options: { home: string; env?: Record<string, string | undefined> }): Promise<{ code: number; error: { code: string; message: string } }> {
  const result = await run([...args, '--json'], options)
  return { code: result.code, error: jsonError(result.stdout) }
}

describe('the team connection with a password and TLS', () => {
  it('syncs and reads with the password only in ~/.pgpass, over TLS verified against sslrootcert', async () => {
    const withPgpass = { home: home({ pgpass: [pgpassLine()] }), env: { AGENT_TRACKER_TEAM_URL: verifiedUrl } }
    const sync = await run(['sync', '--db', local, '--json'], withPgpass)
    expect(sync.code, sync.stderr).toBe(0)
    // Nothing on stderr: no warning from pg about how it found the password.
    expect(sync.stderr).toBe('')
    expect(jsonData(sync.stdout, 'sync')).toMatchObject({ member: 'ana', sent: FACTS, acknowledged: FACTS })
    await expectTeamRead(withPgpass)
    const report = await run(['report', '--team'], withPgpass)
    expect(report.code, report.stderr).toBe(0)
    expect(report.stdout).toContain('build@fake/m1')
    // A ~/.pgpass line matches with * for any field, after comments and lines for other servers.
    const wildcards = home({ pgpass: ['# the team database', `db.example.com:5432:team:tracker:not-this-one`, `*:${String(server.port)}:*:tracker:${PASSWORD}`] })
    await expectTeamRead({ home: wildcards, env: { AGENT_TRACKER_TEAM_URL: verifiedUrl } })
  })

  it('takes the password from PGPASSWORD too', async () => {
    const withVariable = { home: home(), env: { AGENT_TRACKER_TEAM_URL: verifiedUrl, PGPASSWORD: PASSWORD } }
    const sync = await run(['sync', '--db', local], withVariable)
    expect(sync.code, sync.stderr).toBe(0)
    expect(sync.stdout).toMatch(/^(Sent|Up to date with)/)
    await expectTeamRead(withVariable)
  })

  it('refuses a connection without TLS, saying how to ask for TLS', async () => {
    const plain = await failure(['agents', '--team'], { home: home({ pgpass: [pgpassLine()] }), env: { AGENT_TRACKER_TEAM_URL: plainUrl } })
    expect(plain.code).toBe(1)
    expect(plain.error.code).toBe('TEAM_TLS')
    expect(plain.error.message).toContain('refused a connection without TLS')
    expect(plain.error.message).toContain('sslmode=verify-full')
  })

  it('names where the password should come from when there is none, and where a wrong one came from', async () => {
    const bareHome = home()
    const nowhere = await failure(['sync', '--db', local], { home: bareHome, env: { AGENT_TRACKER_TEAM_URL: verifiedUrl } })
    expect(nowhere.code).toBe(1)
    expect(nowhere.error.code).toBe('TEAM_REFUSED')
    const wanted = `127.0.0.1:${String(server.port)}:team:tracker`
    expect(nowhere.error.message).toContain(`asks for a password for user "tracker" and none was found: PGPASSWORD is not set, and there is no ${join(bareHome, '.pgpass')}. Set PGPASSWORD, or add the line ${wanted}:<password> to ${join(bareHome, '.pgpass')} (mode 0600).`)
    const otherServer = await failure(['agents', '--team'], { home: home({ pgpass: [`127.0.0.1:5432:team:tracker:${PASSWORD}`] }), env: { AGENT_TRACKER_TEAM_URL: verifiedUrl } })
    expect(otherServer.error.code).toBe('TEAM_REFUSED')
    expect(otherServer.error.message).toContain(`.pgpass has no line for ${wanted}.`)

    const wrongVariable = await failure(['sync', '--db', local], { home: home({ pgpass: [pgpassLine()] }), env: { AGENT_TRACKER_TEAM_URL: verifiedUrl, PGPASSWORD: 'not-the-password' } })
    expect(wrongVariable.error.code).toBe('TEAM_REFUSED')
    expect(wrongVariable.error.message).toContain('password authentication failed for user "tracker"')
    expect(wrongVariable.error.message).toContain('the password came from PGPASSWORD')
    expect(wrongVariable.error.message).not.toContain('not-the-password')

    const pgpassHome = home({ pgpass: [`127.0.0.1:${String(server.port)}:team:tracker:not-the-password`] })
    const wrongFile = await failure(['report', '--team'], { home: pgpassHome, env: { AGENT_TRACKER_TEAM_URL: verifiedUrl } })
    expect(wrongFile.error.message).toContain(`the password came from ${join(pgpassHome, '.pgpass')}`)
    expect(wrongFile.error.message).not.toContain('not-the-password')

    // Like libpq, a ~/.pgpass others can read is ignored — and the message says so.
    const openHome = home({ pgpass: [pgpassLine()], pgpassMode: 0o644 })
    const open = await failure(['agents', '--team'], { home: openHome, env: { AGENT_TRACKER_TEAM_URL: verifiedUrl } })
    expect(open.error.code).toBe('TEAM_REFUSED')
    expect(open.error.message).toContain(`${join(openHome, '.pgpass')} is ignored: its group or others may open it (mode 644); chmod 600 it`)

    // A password in AGENT_TRACKER_TEAM_URL (the environment, not a file) is used — and when wrong, shown as ***.
    const inUrl = await failure(['agents', '--team'], { home: home(), env: { AGENT_TRACKER_TEAM_URL: verifiedUrl.replace('tracker@', 'tracker:not-the-password@') } })
    expect(inUrl.error.message).toContain('tracker:***@127.0.0.1')
    expect(inUrl.error.message).toContain('the password came from the URL')
    expect(inUrl.error.message).not.toContain('not-the-password')
  })

  it('passes team.ssl from the config file to pg, with the URL\'s TLS settings, and refuses a server its CA did not sign', async () => {
    const pgpass = [pgpassLine()]
    const ca = { pgpass, team: { url: plainUrl, ssl: { ca: tls.ca, rejectUnauthorized: true } } }
    await expectTeamRead({ home: home(ca) })
    // sslmode in the URL and the CA in team.ssl: both apply.
    await expectTeamRead({ home: home({ pgpass, team: { url: `${plainUrl}?sslmode=verify-full`, ssl: { ca: tls.ca } } }) })

    const stranger = createTestCertificates(join(tempFolder('other-ca-'), 'tls'))
    const untrusted = await failure(['agents', '--team'], { home: home({ pgpass, team: { url: plainUrl, ssl: { ca: stranger.ca, rejectUnauthorized: true } } }) })
    expect(untrusted.code).toBe(1)
    expect(untrusted.error.code).toBe('TEAM_TLS')
    expect(untrusted.error.message).toContain("the server's certificate is not signed by a certificate authority this connection trusts")
    const untrustedRoot = await failure(['sync', '--db', local], { home: home({ pgpass }), env: { AGENT_TRACKER_TEAM_URL: `${plainUrl}?sslmode=verify-full&sslrootcert=${stranger.caFile}` } })
    expect(untrustedRoot.error.code).toBe('TEAM_TLS')
    expect(untrustedRoot.error.message).toContain('not signed by a certificate authority')
    // The certificate names 127.0.0.1 and localhost, not the name this connection checks for.
    const otherName = await failure(['agents', '--team'], { home: home({ pgpass, team: { url: plainUrl, ssl: { ca: tls.ca, servername: 'db.example.com' } } }) })
    expect(otherName.error.code).toBe('TEAM_TLS')
    expect(otherName.error.message).toContain('the server\'s certificate is not for db.example.com')

    const missingFile = await failure(['agents', '--team'], { home: home({ pgpass }), env: { AGENT_TRACKER_TEAM_URL: `${plainUrl}?sslmode=verify-full&sslrootcert=/nowhere/ca.pem` } })
    expect(missingFile.code).toBe(2)
    expect(missingFile.error.message).toContain('sslrootcert /nowhere/ca.pem cannot be read')
  })

  it('checks team.ssl and refuses a password in team.url, naming what is accepted', async () => {
    for (const ssl of ['require', 42, ['ca']]) {
      const bad = await failure(['agents', '--team'], { home: home({ team: { url: verifiedUrl, ssl } }) })
      expect(bad.code, JSON.stringify(ssl)).toBe(2)
      expect(bad.error.code).toBe('TEAM_CONFIG')
      expect(bad.error.message).toContain('team.ssl')
      expect(bad.error.message).toContain('accepted: true, false, or an object of TLS options')
    }
    const path = await failure(['agents', '--team'], { home: home({ team: { url: plainUrl, ssl: { ca: tls.caFile } } }) })
    expect(path.code).toBe(2)
    expect(path.error.message).toMatch(/^team\.ssl\.ca in \S+config\.json is not a PEM certificate/)
    expect(path.error.message).toContain('sslrootcert=')

    for (const url of [plainUrl.replace('tracker@', 'tracker:in-the-file@'), `${plainUrl}?password=in-the-file`]) {
      const refused = await run(['sync', '--db', local], { home: home({ team: { url } }) })
      expect(refused.code, url).toBe(2)
      expect(refused.stderr).toContain('holds a password: remove it, and give it in PGPASSWORD or ~/.pgpass instead')
      expect(refused.stderr).not.toContain('in-the-file')
    }
  })
})
