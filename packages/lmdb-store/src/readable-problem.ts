/** Characters of a problem kept at most. */
const MAX_LENGTH = 200

/** msgpackr's message for a value with bytes left over, followed by up to 100 characters of what it decoded. */
const LEFT_OVER = /^Data read, but end of buffer not reached\b/

/** An error code of LMDB's at the start of a message (`MDB_BAD_TXN: Transaction must abort, …`). */
const LMDB_CODE = /^(?:Error: )?(MDB_[A-Z_]+)\b/

/** What LMDB's codes mean for a read of a damaged database, said plainly. */
const LMDB_PROBLEMS: Readonly<Record<string, string>> = {
  MDB_BAD_TXN: 'the read stopped at a damaged page, and LMDB would read no further in it',
  MDB_CORRUPTED: 'a page is damaged: it is not the kind of page its tree says it is',
  MDB_PAGE_NOTFOUND: 'a page a tree points to is not in the file',
  MDB_INVALID: 'the file is not an LMDB database, or its first pages are damaged',
  MDB_BAD_VALSIZE: 'a stored key or value has a size LMDB cannot take: a damaged page',
  MDB_BAD_DBI: 'a sub-database is missing or damaged',
}

/**
 * An error met reading a damaged database, as a person can read it: msgpackr quotes what it decoded
 * from a damaged value ("Data read, but end of buffer not reached ["\ufffdkE…"]"), which is only
 * garbage, so that is left out; any other message is cut before the first character raw bytes
 * turn into (control and replacement characters), and at {@link MAX_LENGTH} characters.
 */
export function readableProblem(message: string): string {
  if (LEFT_OVER.test(message)) return 'a stored value does not decode (its bytes run on past the value: msgpack "Data read, but end of buffer not reached")'
  const lmdb = LMDB_CODE.exec(message)?.[1]
  if (lmdb !== undefined) return `${LMDB_PROBLEMS[lmdb] ?? 'LMDB stopped reading'} (LMDB says ${lmdb})`
  const line = message.split('\n')[0] ?? ''
  const raw = firstRawCharacter(line)
  const clean = (raw === undefined ? line : line.slice(0, raw)).trimEnd()
  const short = clean.length > MAX_LENGTH ? `${clean.slice(0, MAX_LENGTH).trimEnd()}…` : clean
  if (raw === undefined) return short
  return short === '' ? 'unreadable bytes' : `${short} … (unreadable bytes left out)`
}

/** Where the first character raw bytes turn into is: a control character but tab, the replacement character, a lone surrogate. */
function firstRawCharacter(text: string): number | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if ((code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f) || code === 0xfffd) return index
    if (code >= 0xdc00 && code <= 0xdfff) return index
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) return index
      index += 1
    }
  }
  return undefined
}
