import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findPassword, matchingPassword } from '../src/credentials.js'
import { redactUrl } from '../src/index.js'
import { urlHoldsPassword } from '../src/url.js'

const folder = mkdtempSync(join(tmpdir(), 'pgpass-'))
afterAll(() => {
  rmSync(folder, { recursive: true, force: true })
})

const target = { host: 'db.example.com', port: 5432, database: 'tracker', user: 'ana' }

/** A password file with these lines, of this mode. */
function passwordFile(name: string, lines: readonly string[], mode = 0o600): string {
  const file = join(folder, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  chmodSync(file, mode)
  return file
}

describe('the password file', () => {
  it('takes the first line whose fields match, * matching anything, after comments and blank lines', () => {
    const text = ['# team database', '', 'db.example.com:5432:other:ana:wrong', 'db.example.com:*:tracker:ana:first', '*:*:*:*:second'].join('\n')
    expect(matchingPassword(text, target)).toBe('first')
    expect(matchingPassword(text, { ...target, database: 'elsewhere' })).toBe('second')
    expect(matchingPassword('db.example.com:5433:tracker:ana:x', target)).toBeUndefined()
    expect(matchingPassword('too:few:fields', target)).toBeUndefined()
  })

  it('unescapes \\: and \\\\, and ends the password at an unescaped colon, as libpq does', () => {
    expect(matchingPassword('db.example.com:5432:tracker:ana:a\\:b\\\\c:ignored', target)).toBe('a:b\\c')
    expect(matchingPassword('db\\.example.com:5432:tracker:ana:x', target)).toBe('x')
    expect(matchingPassword('localhost:5432:tracker:ana:socket', { ...target, host: '/var/run/postgresql' })).toBe('socket')
  })

  it('prefers PGPASSWORD, then PGPASSFILE or ~/.pgpass, and says what it looked at when nothing matches', async () => {
    const file = passwordFile('pgpass', ['db.example.com:5432:tracker:ana:from-file'])
    expect(await findPassword(target, { PGPASSWORD: 'from-variable', PGPASSFILE: file })).toEqual({ password: 'from-variable', from: 'PGPASSWORD' })
    expect(await findPassword(target, { PGPASSWORD: '', PGPASSFILE: file })).toEqual({ password: 'from-file', from: file })
    const home = mkdtempSync(join(folder, 'home-'))
    writeFileSync(join(home, '.pgpass'), '*:*:*:ana:from-home\n', { mode: 0o600 })
    expect(await findPassword(target, { HOME: home })).toEqual({ password: 'from-home', from: join(home, '.pgpass') })
    expect(await findPassword({ ...target, user: 'ben' }, { PGPASSFILE: file })).toEqual({ reason: `PGPASSWORD is not set, and ${file} has no line for db.example.com:5432:tracker:ben`, file })
    const missing = join(folder, 'none')
    expect(await findPassword(target, { PGPASSFILE: missing })).toEqual({ reason: `PGPASSWORD is not set, and there is no ${missing}`, file: missing })
  })

  it('ignores a file its group or others may open, and a folder, saying why', async () => {
    const open = passwordFile('open', ['*:*:*:*:secret'], 0o640)
    expect(await findPassword(target, { PGPASSFILE: open })).toEqual({ reason: `PGPASSWORD is not set, and ${open} is ignored: its group or others may open it (mode 640); chmod 600 it`, file: open })
    expect(await findPassword(target, { PGPASSFILE: folder })).toEqual({ reason: `PGPASSWORD is not set, and ${folder} is ignored: it is not a plain file`, file: folder })
  })
})

describe('redactUrl', () => {
  it('hides a password before the host and in the query, leaving the rest as written', () => {
    expect(redactUrl('postgres://ana:s3cret@db.example.com/tracker')).toBe('postgres://ana:***@db.example.com/tracker')
    expect(redactUrl('postgres://ana@db.example.com/tracker?sslmode=verify-full&password=s3cret&sslrootcert=/etc/ca.pem')).toBe('postgres://ana@db.example.com/tracker?sslmode=verify-full&password=***&sslrootcert=/etc/ca.pem')
    expect(redactUrl('postgres://ana@db.example.com/tracker')).toBe('postgres://ana@db.example.com/tracker')
    // A client key's passphrase is as secret as the password.
    expect(redactUrl('postgres://me:S3cretPW@127.0.0.1:1/db?sslpassword=K3yPW&sslkey=/k.pem&PASSWORD=x')).toBe('postgres://me:***@127.0.0.1:1/db?sslpassword=***&sslkey=/k.pem&PASSWORD=***')
  })
})

describe('urlHoldsPassword', () => {
  it('finds a password before the host or as ?password=, and nothing else', () => {
    expect(urlHoldsPassword('postgres://ana:s3cret@db.example.com/tracker')).toBe(true)
    expect(urlHoldsPassword('postgres://ana@db.example.com/tracker?sslmode=verify-full&password=s3cret')).toBe(true)
    expect(urlHoldsPassword('postgres://ana@db.example.com/tracker?sslmode=verify-full&sslrootcert=/etc/ca.pem')).toBe(false)
    expect(urlHoldsPassword('postgres://ana@db.example.com/tracker')).toBe(false)
    expect(urlHoldsPassword('not a url')).toBe(false)
  })
})
