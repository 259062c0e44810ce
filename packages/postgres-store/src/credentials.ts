import { readFile, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The server and account a password is looked up for. */
export interface PasswordTarget {
  readonly host: string
  readonly port: number
  readonly database: string
  readonly user: string
}

/** The password found for a connection and where it came from (`PGPASSWORD` or the password file's path); never shown. */
export interface FoundPassword {
  readonly password: string
  readonly from: string
}

/** Why no password was found: what was looked at, in words for a message, and the password file looked for. */
export interface MissingPassword {
  readonly password?: undefined
  readonly reason: string
  readonly file: string
}

/**
 * The password of a connection whose URL has none, found as libpq finds it: `PGPASSWORD` when set
 * and not empty, else the first matching line of the password file (`PGPASSFILE`, else
 * `~/.pgpass`), whose lines read `host:port:database:user:password` (`*` matches anything, `\`
 * escapes `:` and `\`, `#` starts a comment). Like libpq, a password file that its group or others
 * may open is ignored.
 */
export async function findPassword(target: PasswordTarget, env: NodeJS.ProcessEnv = process.env): Promise<FoundPassword | MissingPassword> {
  const variable = env.PGPASSWORD
  if (variable !== undefined && variable !== '') return { password: variable, from: 'PGPASSWORD' }
  const file = env.PGPASSFILE !== undefined && env.PGPASSFILE !== '' ? env.PGPASSFILE : join(env.HOME ?? homedir(), '.pgpass')
  const wanted = `${target.host}:${String(target.port)}:${target.database}:${target.user}`
  const unset = 'PGPASSWORD is not set'
  let mode: number
  try {
    const stats = await stat(file)
    if (!stats.isFile()) return { reason: `${unset}, and ${file} is ignored: it is not a plain file`, file }
    mode = stats.mode
  } catch {
    return { reason: `${unset}, and there is no ${file}`, file }
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    return { reason: `${unset}, and ${file} is ignored: its group or others may open it (mode ${(mode & 0o777).toString(8)}); chmod 600 it`, file }
  }
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    return { reason: `${unset}, and ${file} cannot be read (${(error as { code?: string }).code ?? String(error)})`, file }
  }
  const password = matchingPassword(text, target)
  if (password === undefined) return { reason: `${unset}, and ${file} has no line for ${wanted}`, file }
  return { password, from: file }
}

/** The password of the first line of a password file that matches the target, if any. */
export function matchingPassword(text: string, target: PasswordTarget): string | undefined {
  // Unix-socket connections match "localhost", as in libpq.
  const host = target.host === '' || target.host.startsWith('/') ? 'localhost' : target.host
  const wanted = [host, String(target.port), target.database, target.user]
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue
    const fields = splitLine(line)
    if (fields === undefined) continue
    if (fields.slice(0, 4).every((key, i) => key === '*' || key === wanted[i])) return fields[4]
  }
  return undefined
}

/** A password file line's five fields, unescaped. Undefined when the line has fewer. */
function splitLine(line: string): [string, string, string, string, string] | undefined {
  const fields: string[] = []
  let field = ''
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i)
    if (c === '\\' && i + 1 < line.length) {
      field += line.charAt(++i)
    } else if (c === ':') {
      // An unescaped ':' after the password ends it, as in libpq.
      if (fields.length === 4) break
      fields.push(field)
      field = ''
    } else {
      field += c
    }
  }
  if (fields.length < 4) return undefined
  const [host = '', port = '', database = '', user = ''] = fields
  return [host, port, database, user, field]
}
