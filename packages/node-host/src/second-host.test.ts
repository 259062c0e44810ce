import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gitEventsOf, guardToolCall, isUserCommand } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../test/git-repository.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { CommitWatch, ProtectedFileIndex, openTracker, resolveProtectedFiles, runUserCommand } from './index.js'

/**
 * The design proof of the kit: a host whose every hook is its own process (as Claude Code's are)
 * tracks, guards and grades with `openTracker` and core's decisions alone — the handlers below
 * are the whole of such a host's tracking logic, as the README shows them.
 */
interface Hook { readonly session_id: string; readonly cwd: string }

const MODEL = 'claude-sonnet-4-5'

function handlers(databasePath: string): {
  preToolUse(hook: Hook & { tool_name: string; tool_input: unknown }): Promise<{ blocked?: string }>
  postToolUse(hook: Hook & { tool_name: string; tool_input: { command?: string }; output: string; exitCode: number }): Promise<void>
  userPromptSubmit(hook: Hook & { prompt: string }): Promise<string | undefined>
} {
  const open = (hook: Hook) => {
    const tracker = openTracker({ databasePath, project: hook.cwd, flushOnExit: false })
    return { tracker, setup: tracker.setupId({ agent: 'claude-code', provider: 'anthropic', model: MODEL }) }
  }
  return {
    async preToolUse(hook) {
      const { tracker, setup } = open(hook)
      const protection = resolveProtectedFiles([], {})
      const verdict = guardToolCall(
        { tool: hook.tool_name, args: hook.tool_input, cwd: hook.cwd, status: await tracker.service.getStatus(setup) },
        { protectedFiles: protection, lookup: new ProtectedFileIndex(hook.cwd, protection) },
      )
      await tracker.close()
      return verdict.action === 'block' ? { blocked: verdict.message } : {}
    },
    async postToolUse(hook) {
      const { tracker, setup } = open(hook)
      const facts = { setup, project: tracker.project, session: hook.session_id }
      await tracker.service.recordToolCall({ ...facts, tool: hook.tool_name, ok: hook.exitCode === 0, exitCode: hook.exitCode })
      const command = hook.tool_input.command ?? ''
      for (const event of gitEventsOf(command, hook.output, hook.exitCode)) {
        if (event.kind === 'commit') {
          for (const commit of await new CommitWatch().commitsAfter('call', command, hook.cwd, event.hashes)) await tracker.service.recordCommit({ ...facts, hash: commit.hash, message: commit.subject })
        } else {
          const { kind: _, ...where } = event
          await tracker.service.recordPush({ ...facts, ...where })
        }
      }
      await tracker.close()
    },
    async userPromptSubmit(hook) {
      const [, name = '', text = ''] = /^\/(\w+)\s*(.*)$/s.exec(hook.prompt) ?? []
      if (!isUserCommand(name)) return undefined
      const { tracker, setup } = open(hook)
      try {
        return await runUserCommand(tracker.service, tracker.buffer, { command: name, arguments: text, project: tracker.project, session: hook.session_id, sessionSetup: setup })
      } finally {
        await tracker.close()
      }
    },
  }
}

function bash(cwd: string, command: string): { output: string; exitCode: number } {
  try {
    return { output: execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8', stdio: 'pipe' }), exitCode: 0 }
  } catch (error) {
    const failed = error as { stdout?: string; status?: number }
    return { output: failed.stdout ?? '', exitCode: failed.status ?? 1 }
  }
}

describe('a second host built on the kit alone', () => {
  it('guards .env, records tool calls and a commit, takes the user grade, and halts a setup', async () => {
    const cwd = gitRepository(tempFolder('repo-'))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const host = handlers(databasePath)
    const hook = { session_id: 's1', cwd }
    const setup = `claude-code@anthropic/${MODEL}`

    expect((await host.preToolUse({ ...hook, tool_name: 'Read', tool_input: { file_path: join(cwd, '.env') } })).blocked).toContain('it touches')
    writeFileSync(join(cwd, '.env'), 'SECRET=1\n')
    expect((await host.preToolUse({ ...hook, tool_name: 'Bash', tool_input: { command: 'grep -r SECRET .' } })).blocked).toContain('which holds the protected file .env')
    expect((await host.preToolUse({ ...hook, tool_name: 'Grep', tool_input: { pattern: 'SECRET', path: cwd } })).blocked).toContain('which holds the protected file .env')
    expect((await host.preToolUse({ ...hook, tool_name: 'Bash', tool_input: { command: `npx @agent-tracker/cli grade ${setup} HEAD --user excellence` } })).blocked).toContain('it runs agent-tracker grade, which only the user may use')
    const command = "git commit -q --allow-empty -m 'feat: second host'"
    expect(await host.preToolUse({ ...hook, tool_name: 'Bash', tool_input: { command } })).toEqual({})
    const ran = bash(cwd, `${command} && git log -1 --format='[main %h] %s'`)
    await host.postToolUse({ ...hook, tool_name: 'Bash', tool_input: { command }, ...ran })
    await host.postToolUse({ ...hook, tool_name: 'Bash', tool_input: { command: 'false' }, ...bash(cwd, 'false') })

    expect(await host.userPromptSubmit({ ...hook, prompt: '/grade good excellence clean' })).toMatch(new RegExp(`^Graded ${headOf(cwd).slice(0, 8)} \\(feat: second host\\) of ${setup}: agent good, user excellence\\.`))
    expect(await host.userPromptSubmit({ ...hook, prompt: 'just chatting' })).toBeUndefined()

    const tracker = openTracker({ databasePath, project: cwd, flushOnExit: false })
    expect((await tracker.service.getStatus(setup))?.state).toMatchObject({ toolCalls: 2, toolFailures: 1, commits: 1 })
    await tracker.close()

    await host.userPromptSubmit({ ...hook, prompt: '/bug broke it' })
    await host.userPromptSubmit({ ...hook, prompt: '/bug broke it again' })
    expect((await host.preToolUse({ ...hook, tool_name: 'Bash', tool_input: { command: 'ls' } })).blocked).toContain(`${setup} is halted`)
  })
})
