// Child process: runs one CLI command (as the `agent-tracker` binary does: its bundled entry, then the
// command) against a database in this fresh process, silently, and prints the command's wall
// time, the whole process's CPU time and its peak memory.
import { homedir } from 'node:os'
import { main } from '@agent-tracker/cli/main'
import { peakRssMb } from './peak-rss.js'

const [databasePath, ...command] = process.argv.slice(2)
let bytes = 0
const sink = { write: (text: string) => (bytes += text.length), isTTY: false }
const start = process.hrtime.bigint()
const code = await main([...command, '--db', databasePath ?? '', '--json'], { stdout: sink, stderr: sink, stdin: process.stdin, env: process.env, cwd: process.cwd(), homeDir: homedir() })
const ms = Number(process.hrtime.bigint() - start) / 1e6
const usage = process.resourceUsage()
process.stdout.write(JSON.stringify({ code, ms, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMb: peakRssMb(), outputBytes: bytes }))
