// Builds the packages a root script runs (`pnpm demo`, `pnpm backtest:scenarios`) before it runs
// them, saying so in one line: turbo's own banner, package list and task summary would come
// before the output the user asked for. A failed build prints everything turbo said, and its
// exit code is this script's.
import { spawn } from 'node:child_process'

const filter = process.argv[2]
if (filter === undefined) {
  process.stderr.write('usage: node scripts/build-quietly.mjs <turbo filter, e.g. @agent-tracker/cli...>\n')
  process.exit(2)
}
const started = Date.now()
process.stderr.write('Building agent-tracker … ')
const turbo = spawn('turbo', ['run', 'build', `--filter=${filter}`, '--output-logs=errors-only'], {
  // turbo is a .cmd shim on Windows, which only a shell runs.
  shell: process.platform === 'win32',
  env: { ...process.env, TURBO_PRINT_VERSION_DISABLED: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
})
const output = []
turbo.stdout.on('data', (chunk) => output.push(chunk))
turbo.stderr.on('data', (chunk) => output.push(chunk))
turbo.on('error', (error) => {
  process.stderr.write(`failed: ${error.message} (run it through pnpm, which puts turbo on the PATH)\n`)
  process.exit(1)
})
turbo.on('close', (code, signal) => {
  if (code === 0) {
    process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`)
    return
  }
  process.stderr.write(`failed (${signal ?? `exit code ${String(code)}`}):\n\n${Buffer.concat(output).toString('utf8')}`)
  process.exit(code ?? 1)
})
