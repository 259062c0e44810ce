import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { BUILT_BIN, runBuiltCli, tempFolder } from '../run-cli.js'

/** What each Node process of a command reported of itself: its Node flags, and whether it ran under the supervisor. */
interface Reported {
  readonly execArgv: readonly string[]
  readonly supervised: boolean
}

/** Preloaded into every process of the command (through NODE_OPTIONS, which the supervisor's child inherits). */
function probe(folder: string): { readonly env: Record<string, string>; read: () => Reported[] } {
  const script = join(folder, 'probe.cjs')
  const out = join(folder, 'processes.jsonl')
  writeFileSync(script, "require('node:fs').appendFileSync(process.env.PROBE_OUT, JSON.stringify({ execArgv: process.execArgv, supervised: process.env.AGENT_TRACKER_SUPERVISED === '1' }) + '\\n')\n")
  writeFileSync(out, '')
  return {
    env: { NODE_OPTIONS: `--require ${script}`, PROBE_OUT: out },
    read: () => readFileSync(out, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Reported),
  }
}

describe('the Node processes a command starts', () => {
  it('start the supervised child compiling on its main thread (no background compile to hang its exit), and leave a one-process read as it is', async () => {
    const folder = tempFolder('node-flags-')
    const database = join(folder, 'tracker.lmdb')
    const { env, read } = probe(folder)

    const exported = await runBuiltCli(['export', '--format', 'json', '--db', database], { env })
    expect(exported.code).toBe(0)
    const processes = read()
    expect(processes.map((process) => process.supervised)).toEqual([false, true])
    expect(processes[0]?.execArgv).not.toContain('--no-concurrent-recompilation')
    expect(processes[1]?.execArgv).toContain('--no-concurrent-recompilation')

    writeFileSync(env.PROBE_OUT ?? '', '')
    expect((await runBuiltCli(['agents', '--db', database, '--json'], { env })).code).toBe(0)
    expect(read()).toEqual([{ execArgv: [], supervised: false }])
  })

  it('leave the flags alone when the Node options say how to compile', async () => {
    const folder = tempFolder('node-flags-chosen-')
    const { env, read } = probe(folder)
    await promisify(execFile)(process.execPath, ['--concurrent-recompilation', BUILT_BIN, 'export', '--format', 'json', '--db', join(folder, 'tracker.lmdb')], { cwd: folder, env: { ...process.env, ...env, HOME: folder } })
    expect(read()).toEqual([{ execArgv: ['--concurrent-recompilation'], supervised: false }, { execArgv: ['--concurrent-recompilation'], supervised: true }])
  })
})
