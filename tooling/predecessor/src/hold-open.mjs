// Holds the predecessor's central database open, as its plugin did in a running OpenCode: opens it
// with its own lmdb release, reads one agent (which takes a reader slot), says "open", and waits.
import { open } from 'lmdb-predecessor'

const [path] = process.argv.slice(2)
const root = open({ path, compression: true, maxDbs: 10 })
root.openDB('agents', { sharedStructuresKey: Symbol.for('structures:agents') }).get('build')
process.stdout.write('open\n')
setInterval(() => undefined, 1000)
