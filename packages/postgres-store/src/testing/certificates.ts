import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A throwaway certificate authority and a server certificate it signed, as PEM files. */
export interface TestCertificates {
  /** The authority's certificate: what a client trusts (`sslrootcert`, or `ca` of the TLS options). */
  readonly caFile: string
  /** The authority's certificate as PEM text. */
  readonly ca: string
  /** The server's certificate, for `127.0.0.1` and `localhost`. */
  readonly certFile: string
  /** The server certificate's private key (unencrypted). */
  readonly keyFile: string
}

/**
 * Makes a new certificate authority and a server certificate it signs for `127.0.0.1` and
 * `localhost` (both as subject alternative names), valid for two days, with `openssl` into
 * `folder` (created if missing). Each call makes a different authority, so one call's `ca` does
 * not trust another's server.
 * @throws {Error} naming the openssl step that failed, or how to get openssl.
 */
export function createTestCertificates(folder: string): TestCertificates {
  mkdirSync(folder, { recursive: true })
  const file = (name: string): string => join(folder, name)
  const openssl = (args: readonly string[]): void => {
    try {
      execFileSync('openssl', args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? ''
      if ((error as { code?: unknown }).code === 'ENOENT') throw new Error('openssl is not installed: the TLS tests make their certificates with it (Debian/Ubuntu: apt-get install openssl).')
      throw new Error(`openssl ${args.join(' ')} failed: ${stderr || String(error)}`)
    }
  }
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl(['req', '-x509', ...newKey, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=agent-tracker test CA'])
  openssl(['req', ...newKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1'])
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-out', file('server.pem'), '-extfile', file('server.ext')])
  return { caFile: file('ca.pem'), ca: readFileSync(file('ca.pem'), 'utf8'), certFile: file('server.pem'), keyFile: file('server.key') }
}
