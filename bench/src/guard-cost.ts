import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { guardToolCall, protectedFiles } from '@agent-tracker/core'
import { ProtectedFileIndex } from '@agent-tracker/node-host'
import type { Timing } from './stats.js'
import { summarise } from './stats.js'

/** Tool calls an agent makes all day, the guard's everyday work: most pass, a few are blocked. */
const CALLS: readonly { tool: string; args: Record<string, unknown> }[] = [
  { tool: 'bash', args: { command: 'git status' } },
  { tool: 'bash', args: { command: 'pnpm test -- --run src/cart.test.ts' } },
  { tool: 'bash', args: { command: "cd packages/api && pnpm build && git add -A && git commit -m 'feat: checkout totals'" } },
  { tool: 'bash', args: { command: 'grep -rn "TODO" src | head -20' } },
  { tool: 'bash', args: { command: 'cat package.json | jq .dependencies' } },
  { tool: 'bash', args: { command: 'grep -r API_KEY .' } },
  { tool: 'bash', args: { command: 'python3 -c "import json; print(json.load(open(\'package.json\'))[\'name\'])"' } },
  { tool: 'bash', args: { command: 'for f in src/*.ts; do wc -l "$f"; done' } },
  { tool: 'read', args: { filePath: '/bench/project/src/app.ts' } },
  { tool: 'edit', args: { filePath: '/bench/project/src/app.ts', oldString: 'a', newString: 'b' } },
  { tool: 'grep', args: { pattern: 'useState', include: '*.tsx' } },
  { tool: 'glob', args: { pattern: 'src/**/*.ts' } },
]

/**
 * 7. The tool-call guard's cost per call — the user's channels, protected files (with the Node
 * kit's cached index of a project of a few hundred files holding .env files), the halt — over a
 * mix of everyday calls.
 */
export function guardCost(calls: number): { guard: Timing; blocked: number } {
  const folder = mkdtempSync(join(tmpdir(), 'bench-guard-'))
  try {
    const project = join(folder, 'project')
    for (let i = 0; i < 20; i++) {
      mkdirSync(join(project, 'src', `module${String(i)}`), { recursive: true })
      for (let j = 0; j < 15; j++) writeFileSync(join(project, 'src', `module${String(i)}`, `file${String(j)}.ts`), '')
    }
    writeFileSync(join(project, '.env'), 'API_KEY=x\n')
    writeFileSync(join(project, 'src', '.env.local'), 'API_KEY=y\n')
    const protection = protectedFiles()
    const policy = { protectedFiles: protection, lookup: new ProtectedFileIndex(project, protection) }
    let blocked = 0
    const run = (index: number): void => {
      const call = CALLS[index % CALLS.length] ?? { tool: 'bash', args: { command: 'true' } }
      if (guardToolCall({ tool: call.tool, args: call.args, cwd: project }, policy).action === 'block') blocked += 1
    }
    for (let i = 0; i < CALLS.length * 20; i++) run(i)
    blocked = 0
    const times: bigint[] = []
    for (let i = 0; i < calls; i++) {
      const start = process.hrtime.bigint()
      run(i)
      times.push(process.hrtime.bigint() - start)
    }
    const guard = summarise(times)
    return { guard, blocked }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
