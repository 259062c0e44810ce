import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonError, runCli, tempFolder } from './run-cli.js'

/** A home whose ~/.config/agent-tracker/config.json holds `config`. */
function homeWith(config: unknown): string {
  const home = tempFolder('home-')
  mkdirSync(join(home, '.config', 'agent-tracker'), { recursive: true })
  writeFileSync(join(home, '.config', 'agent-tracker', 'config.json'), JSON.stringify(config))
  return home
}

describe('the team settings in config.json', () => {
  it('says which setting is of the wrong type, instead of taking it for no team at all', async () => {
    const db = join(tempFolder(), 'tracker.lmdb')
    for (const [team, what, accepted] of [
      [{ url: 5 }, 'team.url', 'a postgres://user@host/database URL'],
      ['postgres://me@db.example.com/tracker', 'team', 'an object'],
      [[], 'team', 'an object'],
      [{ url: 'postgres://me@db.example.com/tracker', member: 7 }, 'team.member', 'a name'],
      [{ url: 'postgres://me@db.example.com/tracker', schema: false }, 'team.schema', 'a schema name'],
    ] as const) {
      const home = homeWith({ team })
      for (const args of [['sync', '--db', db, '--json'], ['agents', '--team', '--json']]) {
        const run = await runCli(args, { home })
        expect(run.code, `${JSON.stringify(team)} ${args[0] ?? ''}`).toBe(2)
        expect(jsonError(run.stdout)).toMatchObject({ code: 'TEAM_CONFIG', message: expect.stringMatching(new RegExp(`^${what.replace('.', '\\.')} in \\S+config\\.json is .+; accepted is ${accepted}`)) as unknown })
      }
    }
    // No team at all is still said as such.
    expect(jsonError((await runCli(['sync', '--db', db, '--json'], { home: homeWith({ other: 1 }) })).stdout)).toMatchObject({ code: 'TEAM_NOT_CONFIGURED' })
  })
})
