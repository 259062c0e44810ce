// Writes a database exactly as the predecessor (tjenamors-se/opencode-agent-tracker) did, with the
// lmdb release its lockfile pinned (3.5.1) and the open options of its source. Runs as its own
// process so that this lmdb never shares a process with the one agent-tracker uses.
//
// stdin: {"path", "format": "central" | "project", "version": "final" | "m3", "entries": {…}}
// Values may hold {"$date": "<ISO>"} for the Date objects the predecessor stored.
// stdout: {"available": boolean, "problem"?: string}
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { open } from 'lmdb-predecessor'

/** Sub-databases of the central database: at the commit that introduced it (M3) and at the last commit. */
const SUB_DATABASES = {
  m3: ['agents', 'commits', 'communication', 'retrospectives', 'activities'],
  final: ['agents', 'commits', 'communication', 'retrospectives', 'activities', 'migrations', 'projects'],
}

const spec = JSON.parse(readFileSync(0, 'utf8'), (_key, value) => (value !== null && typeof value === 'object' && typeof value.$date === 'string' ? new Date(value.$date) : value))

const result = spec.format === 'project' ? await writeProjectDatabase(spec) : await writeCentralDatabase(spec)
process.stdout.write(`${JSON.stringify(result)}\n`)

/** src/lmdb-database.ts before M3: one unnamed database, keys `agent:`, `commit:`, `communication:`. */
async function writeProjectDatabase({ path, entries }) {
  const db = open({ path, compression: true })
  await putAll(db, entries[''])
  await db.close()
  return { available: true }
}

/** src/lmdb-database.ts from M3 (a8db90a) to the last commit (c2dcf27). */
async function writeCentralDatabase({ path, version, entries }) {
  const maxSize = 512 * 1024 * 1024
  // M3 created the database path itself as a folder; 29c673f changed that to its parent folder.
  mkdirSync(version === 'm3' ? path : dirname(path), { recursive: true })
  let root
  try {
    root = open({ path, compression: true, mapSize: maxSize, maxDbs: 10 })
  } catch (error) {
    // What the predecessor's initialize() did: log, and run with the database unavailable.
    return { available: false, problem: error.message }
  }
  for (const name of SUB_DATABASES[version]) {
    const db = root.openDB(name, { sharedStructuresKey: Symbol.for(`structures:${name}`) })
    await putAll(db, entries[name] ?? [])
  }
  await root.close()
  return { available: true }
}

/**
 * Writes entries as the predecessor's `put` calls did, in one transaction: awaiting each `put` alone
 * commits (and syncs) once per entry, which takes minutes for big fixtures; the encoding of every
 * key and value (and the shared msgpack structures) is the same either way.
 */
async function putAll(db, entries) {
  db.transactionSync(() => {
    for (const [key, value] of entries) db.putSync(key, value)
  })
}
