import { execFileSync, spawnSync } from 'node:child_process'
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestCertificates } from './certificates.js'
import { createTestCertificates } from './certificates.js'

/** A throwaway PostgreSQL cluster in a temporary folder, listening on a loopback port. */
export interface PostgresServer {
  /** Connection URL of the cluster's `postgres` database, as the superuser `tracker` (never with its password). */
  readonly url: string
  /** The superuser's password, when the server was started with one. */
  readonly password: string | undefined
  /** The certificates the server presents, when it was started with TLS: trust `caFile` (or `ca`) to connect. */
  readonly tls: TestCertificates | undefined
  readonly port: number
  /** The cluster's folder (data, socket and log). */
  readonly folder: string
  /** The URL of a new, empty database on this server (made through the server's Unix socket, so without password or TLS). */
  createDatabase(name: string): Promise<string>
  /** Stops the server (fast shutdown: clients are disconnected), keeping its data. */
  stop(): Promise<void>
  /** Starts it again on the same port, after {@link stop}. */
  start(): Promise<void>
  /** Stops the server and deletes its folder. */
  destroy(): Promise<void>
}

/** Options of {@link startPostgresServer}. */
export interface PostgresServerOptions {
  /** Folder of `initdb` and `pg_ctl` (default: `$AGENT_TRACKER_PG_BIN`, else the newest `/usr/lib/postgresql/<v>/bin`, else `PATH`). */
  readonly binDir?: string
  /** The non-root account the server runs as when this process is root (default: `$AGENT_TRACKER_PG_USER`, else `postgres`). */
  readonly user?: string
  /**
   * The superuser's password. Given, connections over TCP must authenticate with it
   * (`scram-sha-256`); without it (the default) every connection is trusted.
   */
  readonly password?: string
  /**
   * Serve TLS with a certificate for `127.0.0.1` and `localhost` signed by a throwaway authority
   * (made with `openssl`), and refuse connections over TCP without TLS. Default: no TLS.
   */
  readonly tls?: boolean
}

const SUPERUSER = 'tracker'

/**
 * Creates a cluster with `initdb` in a new temporary folder and starts it with `pg_ctl` on a free
 * loopback port, tuned for tests (no fsync). PostgreSQL refuses to run as root: when this process
 * is root, the cluster belongs to, and runs as, a non-root account. Loopback only; trust
 * authentication unless a password is given, plain TCP unless TLS is asked for. The harness's own
 * connections ({@link PostgresServer.createDatabase}) use the cluster's Unix socket, always trusted.
 * @throws {Error} naming what is missing (PostgreSQL's programs, the account) and how to get it.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = findBinDir(options.binDir ?? process.env.AGENT_TRACKER_PG_BIN)
  const asUser = process.getuid?.() === 0 ? options.user ?? process.env.AGENT_TRACKER_PG_USER ?? 'postgres' : undefined
  const folder = mkdtempSync(join(tmpdir(), 'agent-tracker-pg-'))
  const data = join(folder, 'data')
  const ids = asUser === undefined ? undefined : accountIds(asUser)
  if (ids !== undefined) chownSync(folder, ids.uid, ids.gid)
  const run = (program: string, args: readonly string[]): void => {
    const [command, commandArgs] = asUser === undefined ? [join(bin, program), args] : ['runuser', ['-u', asUser, '--', join(bin, program), ...args]]
    const result = spawnSync(command, commandArgs, { encoding: 'utf8', cwd: folder })
    if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${String(result.status ?? result.signal)}): ${result.stderr || result.stdout}`)
  }
  const owned = (file: string, mode: number): void => {
    chmodSync(file, mode)
    if (ids !== undefined) chownSync(file, ids.uid, ids.gid)
  }
  /** The cluster's files: data folder, superuser password, certificates and authentication rules. */
  const create = (): TestCertificates | undefined => {
    let initdbPassword: string[] = []
    if (options.password !== undefined) {
      const passwordFile = join(folder, 'password')
      writeFileSync(passwordFile, options.password)
      owned(passwordFile, 0o600)
      initdbPassword = [`--pwfile=${passwordFile}`]
    }
    try {
      run('initdb', ['-D', data, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync', ...initdbPassword])
    } finally {
      rmSync(join(folder, 'password'), { force: true })
    }
    const tls = options.tls === true ? createTestCertificates(join(folder, 'tls')) : undefined
    if (tls !== undefined) {
      owned(tls.certFile, 0o644)
      owned(tls.keyFile, 0o600)
      const quoted = (path: string): string => `'${path.replaceAll("'", "''")}'`
      appendFileSync(join(data, 'postgresql.conf'), `\nssl = on\nssl_cert_file = ${quoted(tls.certFile)}\nssl_key_file = ${quoted(tls.keyFile)}\n`)
    }
    if (options.password !== undefined || tls !== undefined) {
      const method = options.password === undefined ? 'trust' : 'scram-sha-256'
      const rules = ['local all all trust', `${tls === undefined ? 'host' : 'hostssl'} all all 127.0.0.1/32 ${method}`]
      if (tls !== undefined) rules.push('hostnossl all all 127.0.0.1/32 reject')
      writeFileSync(join(data, 'pg_hba.conf'), `${rules.join('\n')}\n`)
    }
    return tls
  }
  let port = 0
  const start = async (): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if (port === 0 || attempt > 1) port = await freePort()
      try {
        run('pg_ctl', ['-D', data, '-l', join(folder, 'server.log'), '-w', '-t', '60', '-o', serverOptions(port, folder), 'start'])
        return
      } catch (error) {
        // Another process may have taken the port between the probe and the start.
        if (attempt >= 3) throw error
      }
    }
  }
  const restart = (): Promise<void> => Promise.resolve().then(() => {
    run('pg_ctl', ['-D', data, '-l', join(folder, 'server.log'), '-w', '-t', '60', '-o', serverOptions(port, folder), 'start'])
  })
  const stop = (): Promise<void> => Promise.resolve().then(() => {
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'])
  })
  let tls: TestCertificates | undefined
  try {
    tls = create()
    await start()
  } catch (error) {
    rmSync(folder, { recursive: true, force: true })
    throw error
  }
  const urlOf = (database: string): string => `postgres://${SUPERUSER}@127.0.0.1:${String(port)}/${database}`
  return {
    get url() {
      return urlOf('postgres')
    },
    get port() {
      return port
    },
    password: options.password,
    tls,
    folder,
    createDatabase: async (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name "${name}": lowercase letters, digits and _ only.`)
      const { default: pg } = await import('pg')
      const client = new pg.Client({ host: folder, port, user: SUPERUSER, database: 'postgres' })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      return urlOf(name)
    },
    stop,
    start: restart,
    destroy: async () => {
      try {
        if (existsSync(join(data, 'postmaster.pid'))) await stop()
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    },
  }
}

function serverOptions(port: number, folder: string): string {
  return [
    `-p ${String(port)}`, `-k ${folder}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off',
    '-c full_page_writes=off', '-c max_connections=200', '-c shared_buffers=64MB', '-c log_min_messages=warning',
  ].join(' ')
}

function findBinDir(given: string | undefined): string {
  if (given !== undefined && given !== '') {
    if (!existsSync(join(given, 'initdb'))) throw new Error(`No initdb in ${given} (AGENT_TRACKER_PG_BIN): point it at PostgreSQL's bin folder.`)
    return given
  }
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    if (versions[0] !== undefined) return join(root, versions[0], 'bin')
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' })
  const found = which.stdout.trim()
  if (which.status === 0 && found !== '') return join(found, '..')
  throw new Error('PostgreSQL is not installed: the team-database tests need its initdb and pg_ctl (Debian/Ubuntu: apt-get install postgresql; or set AGENT_TRACKER_PG_BIN to its bin folder).')
}

function accountIds(user: string): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim())
    return { uid, gid }
  } catch {
    throw new Error(`PostgreSQL will not run as root, and there is no account "${user}" to run it as: create one (useradd --system ${user}) or name another with AGENT_TRACKER_PG_USER.`)
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => {
        resolve(port)
      })
    })
  })
}
