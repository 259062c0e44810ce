// Child process: the floor of a transcript import — every .jsonl file under a folder streamed line
// by line and parsed, nothing more — with its wall time and the process's peak memory.
import { createReadStream, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { peakRssMb } from './peak-rss.js'

const [folder = '.'] = process.argv.slice(2)
const start = process.hrtime.bigint()
let lines = 0
for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue
  for await (const line of createInterface({ input: createReadStream(join(entry.parentPath, entry.name), 'utf8'), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line !== '') JSON.parse(line)
    lines += 1
  }
}
const ms = Number(process.hrtime.bigint() - start) / 1e6
process.stdout.write(JSON.stringify({ lines, ms, maxRssMb: peakRssMb() }))
