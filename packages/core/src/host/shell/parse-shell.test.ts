import { describe, expect, it } from 'vitest'
import { commandsRun } from './commands-run.js'
import { parseShell } from './parse-shell.js'

const words = (script: string): string[][] => parseShell(script).commands.map((command) => command.words.map((word) => word.text))
const runs = (script: string): string[] => commandsRun(script).map((run) => [run.name, ...run.args.map((arg) => arg.text)].join(' '))

describe('parseShell', () => {
  it('splits lists and pipelines, and undoes quotes and escapes', () => {
    expect(words(`cd a && grep -r "x y" . | head -5; echo 'it''s' \\$HOME\nls`)).toEqual([['cd', 'a'], ['grep', '-r', 'x y', '.'], ['head', '-5'], ['echo', 'its', '$HOME'], ['ls']])
    expect(words("cat $'\\x2e\\145nv' \"a\\\"b\"")).toEqual([['cat', '.env', 'a"b']])
  })

  it('parses command and process substitution, backticks and subshells as commands of their own', () => {
    expect(words('echo "$(cat a)" `head b` <(tail c); (cd d && ls)')).toEqual([['cat', 'a'], ['head', 'b'], ['tail', 'c'], ['echo', '$(cat a)', '`head b`', '<(tail c)'], ['cd', 'd'], ['ls']])
  })

  it('keeps redirections apart, with here-document bodies and here-strings', () => {
    const [command] = parseShell("python3 - <<'EOF' 2>/dev/null\nprint(1)\nEOF\n").commands
    expect(command?.words.map((word) => word.text)).toEqual(['python3', '-'])
    expect(command?.redirects).toEqual([expect.objectContaining({ op: '<<', body: 'print(1)' }), expect.objectContaining({ op: '>', target: expect.objectContaining({ text: '/dev/null' }) as unknown })])
    expect(parseShell('cat <<< "a b" &> out').commands[0]?.redirects.map((redirect) => [redirect.op, redirect.target?.text])).toEqual([['<<<', 'a b'], ['&>', 'out']])
  })

  it('takes reserved words and assignments off the front of commands', () => {
    expect(words('for f in $(ls -A); do cat "$f"; done')).toEqual([['ls', '-A'], ['f', 'in', '$(ls -A)'], ['cat', '$f']])
    expect(parseShell('A=1 B="x y" cmd arg').commands[0]?.assignments.map((word) => word.text)).toEqual(['A=1', 'B=x y'])
  })

  it('marks globs and expansions', () => {
    const [command] = parseShell('cat *.ts "*.md" $f').commands
    expect(command?.words.slice(1).map((word) => [word.glob, word.dynamic])).toEqual([[true, false], [false, false], [false, true]])
  })
})

describe('commandsRun', () => {
  it('takes wrappers and package runners off, and reads nested command lines', () => {
    expect(runs('sudo -u me env A=1 nohup timeout 5 agent-tracker grade x')).toEqual(['agent-tracker grade x'])
    expect(runs('npx -y @agent-tracker/cli@1.2.0 grade x')).toEqual(['agent-tracker grade x'])
    expect(runs('pnpm exec agent-tracker bug x && pnpm agent-tracker status && pnpm install')).toEqual(['agent-tracker bug x', 'agent-tracker status', 'pnpm install'])
    expect(runs('node ./packages/cli/bin/agent-tracker.js reinstate x')).toEqual(['agent-tracker reinstate x'])
    expect(runs("bash -lc 'cat a | sh -c \"head b\"'")).toEqual(['bash -lc cat a | sh -c "head b"', 'cat a', 'sh -c head b', 'head b'])
    expect(runs('find . -name "*.ts" -exec grep -l x {} +')).toEqual(['find . -name *.ts -exec grep -l x {} +', 'grep -l x {}'])
    expect(commandsRun('ls | xargs -0 -n 1 cat').map((run) => [run.name, run.feeder])).toEqual([['ls', undefined], ['cat', 'xargs']])
  })

  it('reads command lines inside arithmetic, and says arithmetic nested past eight levels is deeper than it reads, without overflowing', () => {
    const inner = parseShell('echo $(( 1 + $(cat notes.txt) ))')
    expect(inner.commands.map((command) => command.words.map((word) => word.text)).sort()).toEqual([['cat', 'notes.txt'], ['echo', '$(( 1 + $(cat notes.txt) ))']])
    expect(parseShell(`echo ${'$(('.repeat(9)}$(cat .env)${'))'.repeat(9)}`).tooDeep).toBe(true)
    expect(parseShell(`echo ${'$(('.repeat(8)}1${'))'.repeat(8)}`).tooDeep).toBe(false)
    expect(parseShell(`echo ${'$(('.repeat(20_000)}1${'))'.repeat(20_000)}`).tooDeep).toBe(true)
  })
})
