import { Command, InvalidArgumentError, Option } from 'commander'
import { IMPORT_SOURCES } from './commands/import-sources.js'
import { MERGE_HELP } from './commands/merge-help.js'
import type { ReportOptions } from './commands/report.js'
import type { CommandContext, CommonOptions } from './context.js'
import type { Io } from './io.js'
import { CliError, EXIT } from './cli-error.js'
import type { WindowFlags } from './time/time-window.js'
import { plainWholeNumber } from './plain-number.js'

/**
 * Each command's module, loaded only when that command runs: `--help`, a usage error or one
 * command never pay for loading the others (or the database, for commands without one).
 */
const load = {
  activity: () => import('./commands/activity.js'),
  agents: () => import('./commands/agents.js'),
  backtest: () => import('./commands/backtest.js'),
  bug: () => import('./commands/bug.js'),
  doctor: () => import('./commands/doctor.js'),
  evidence: () => import('./commands/evidence.js'),
  export: () => import('./commands/export.js'),
  grade: () => import('./commands/grade.js'),
  history: () => import('./commands/history.js'),
  hook: () => import('./hook-command.js'),
  hooks: () => import('./commands/hooks.js'),
  import: () => import('./commands/import.js'),
  ingest: () => import('./commands/ingest.js'),
  init: () => import('./commands/init.js'),
  merge: () => import('./commands/merge.js'),
  mergeUndo: () => import('./commands/merge-undo.js'),
  migrate: () => import('./commands/migrate.js'),
  projects: () => import('./commands/projects.js'),
  recommend: () => import('./commands/recommend.js'),
  reinstate: () => import('./commands/reinstate.js'),
  report: () => import('./commands/report.js'),
  retro: () => import('./commands/retro.js'),
  search: () => import('./commands/search.js'),
  searchBuild: () => import('./search-build.js'),
  sync: () => import('./commands/sync.js'),
  status: () => import('./commands/status.js'),
  upgrade: () => import('./commands/upgrade.js'),
  demo: () => import('./demo/run-demo.js'),
}

/**
 * How `report --by` can group (core's `REPORT_GROUPINGS`, which a test holds this to): written
 * out here so that `--help` need not load core.
 */
export const REPORT_GROUPINGS_HELP: readonly string[] = ['day', 'week', 'month', 'project', 'agent']

/** The names of core's `KNOWN_TRUTH_SCENARIOS` for `backtest --scenario` (a test holds this to them), so that `--help` need not load core. */
export const BACKTEST_SCENARIOS_HELP: readonly string[] = ['clear-winner', 'closer-than-noise', 'web-vs-api', 'newcomer', 'drift']

/** Runs a command with a context; returns its exit code. */
export type Runner = (run: (ctx: CommandContext) => unknown, options: CommonOptions) => Promise<void>

/** The zones `--timezone` accepts, and its default: one option, read one way, wherever it appears. */
const ZONES = 'an IANA name (Europe/Stockholm), UTC or an offset (+01:00; UTC+3 is three hours ahead of UTC, as ISO 8601 writes it, while TZ=UTC+3 is POSIX\'s three hours behind); default $TZ, else this machine\'s'
/** `--timezone` of the commands that read legacy data. */
const LEGACY_ZONE = `the zone legacy times written without one are read in: ${ZONES}`

const limitOption = (): Option => new Option('--limit <n>', 'at most this many entries').default(20).argParser(positiveInteger)

function positiveInteger(value: string): number {
  const parsed = plainWholeNumber(value)
  if (parsed === undefined || parsed < 1) throw new InvalidArgumentError(`"${value}" is not a whole number ≥ 1 in plain digits (up to ${String(Number.MAX_SAFE_INTEGER)}).`)
  return parsed
}

/** An option that may be given once: a grade given twice would be final with whichever came last, so it is refused. */
function once(flag: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError(`given twice ("${previous}", then "${value}"); give ${flag} once.`)
    return value
  }
}

/** Options of every command: JSON output and the database. */
function common(command: Command, example: string): Command {
  return command
    .option('--json', 'print only JSON on stdout: { "version": 1, "command", "data" } (see docs/json-output.md)')
    .option('--db <path>', 'database path (default: $AGENT_TRACKER_DB, else ~/.config/opencode/agent-tracker.lmdb)')
    .addHelpText('after', `\nExample:\n  $ ${example}`)
}

/** `--team` and `--member` of the read commands. */
function teamReads(command: Command): Command {
  return command
    .option('--team', 'answer from the team database ($AGENT_TRACKER_TEAM_URL, else team.url in ~/.config/agent-tracker/config.json); --db postgres://… names one')
    .option('--member <name>', 'with --team: only what this member synced')
}

/** The size limit, for commands that write to the database. */
function writes(command: Command): Command {
  return command.option('--max-size <size>', 'size limit for writes, e.g. 512MiB (default: $AGENT_TRACKER_MAX_SIZE, else 512 MiB)')
}

/** The time window, for commands that narrow by time. */
function windowFilters(command: Command): Command {
  return command
    .option('--since <when>', 'from this day or time (inclusive): 2026-10-15, 20261015, 2026-10-15T09:00, today, yesterday, 7d, 4w, 3m')
    .option('--until <when>', 'to this day (inclusive) or time (exclusive), same forms; 7d ends where --since 7d starts')
    .option('--days <n>', 'the last n days, today included (instead of --since)')
    .option('--timezone <zone>', `the zone dates are read and days counted in: ${ZONES}`)
}

function reportFilters(command: Command): Command {
  return windowFilters(command)
    .option('--project <path-or-name>', 'only this project')
    .option('--setup <id>', 'only this setup (agent@provider/model), e.g. build@anthropic/claude-sonnet-4-5')
    .option('--agent <name>', 'only setups of this agent, e.g. build')
    .option('--model <model>', 'only this model, e.g. anthropic/claude-sonnet-4-5 or gpt-5')
}

/** The whole command line interface. */
export function buildProgram(io: Io, run: Runner, version: string): Command {
  const program = new Command('agent-tracker')
    .description('See how your coding agents perform across projects, and which setup (agent + model) to use next.')
    .version(version, '-v, --version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text), outputError: (text, write) => { write(withAccepted(program, text)) } })
    .exitOverride()

  type Opts = CommonOptions & Record<string, unknown>
  const add = (name: string, description: string, example: string): Command => common(program.command(name).description(description), example).exitOverride()
  const addWriting = (name: string, description: string, example: string): Command => writes(add(name, description, example))

  teamReads(add('status [setup]', 'status card of a setup, or one line per setup', 'agent-tracker status build@anthropic/claude-sonnet-4-5'))
    .action((setup: string | undefined, o: Opts) => run(async (ctx) => (await load.status()).statusCommand(ctx, setup), o))
  reportFilters(teamReads(add('agents', 'leaderboard: skill points, experience and communication score per setup; with --project or a window, only setups that worked there, with their commits and bugs there (report shows the XP and CS they earned there)', 'agent-tracker agents --model gpt-5 --since 2026-03-01')))
    .action((o: Opts & ReportOptions) => run(async (ctx) => (await load.agents()).agentsCommand(ctx, o), o))
  reportFilters(teamReads(add('report', 'outcomes per setup across projects: commits, bugs, grades, failures, tokens and cost per commit; --by splits them by day, week, month, project or agent', 'agent-tracker report --since 7d --by day')))
    .option('--by <group>', `one table per ${REPORT_GROUPINGS_HELP.join(', ')}`)
    .addHelpText('after', `
A window (--since, --until, --days) counts commits, bugs, grades, cost and the XP and CS earned in it
(XP+ and CS±); SP is always the current total. Days, weeks (from Monday) and months are counted in
--timezone. On a team database, --team --member <name> narrows every figure to one member's work;
there is no --by member table yet.`)
    .action((o: Opts & ReportOptions & { by?: string }) => run(async (ctx) => (await load.report()).reportCommand(ctx, o), o))
  teamReads(add('recommend [project-dir]', 'which setup to use for a project like this one (default: the current folder)', 'agent-tracker recommend ~/code/new-app'))
    .option('--min-samples <n>', 'graded commits a setup needs on similar projects before it is ranked (default 5)')
    .action((dir: string | undefined, o: Opts & { minSamples?: string }) => run(async (ctx) => (await load.recommend()).recommendCommand(ctx, dir, o), o))
  add('backtest', "replay the database and check recommend's answers against what happened after; --scenario judges it on histories with known truth", 'agent-tracker backtest --scenario all --seeds 20')
    .option('--every <n>', 'a decision point at each project\'s first commit and after every n of its commits (default 10)')
    .option('--horizon <n>', 'judge a setup by its next n graded commits on similar projects, at least 3 (default 20; not with --scenario)')
    .option('--min-samples <n>', 'graded commits a setup needs before it is ranked, as for recommend (default 5)')
    .option('--scenario <name>', `play histories with known truth instead: all, ${BACKTEST_SCENARIOS_HELP.join(', ')}`)
    .option('--seeds <n>', 'with --scenario: histories per scenario (default 5)')
    .option('--seed <n>', 'with --scenario: the first seed (default 1)')
    .option('--evidence-weight <w>', 'what git evidence on one commit counts for, as a share of a grade (default 0.1, as recommend; 0 leaves evidence out)')
    .option('--grade-rate <share>', 'with --scenario: the share of commits the user grades (default: each scenario\'s own), e.g. 0.1 to judge sparse grading')
    .option('--no-save', 'do not save the result beside the database for the HTML report')
    .option('--decisions', 'also list every decision point, judged (with --json, in full; not with --scenario)')
    .action((o: Opts & { every?: string; horizon?: string; minSamples?: string; scenario?: string; seeds?: string; seed?: string; evidenceWeight?: string; gradeRate?: string; save?: boolean; decisions?: boolean }) => run(async (ctx) => (await load.backtest()).backtestCommand(ctx, o), o))
  teamReads(add('search <task...>', 'prior art: earlier work on similar tasks — patterns to repeat, mistakes to avoid', 'agent-tracker search stripe webhook retries'))
    .option('--project <dir>', 'the project whose scope to prefer (default: the current folder)')
    .addOption(limitOption().default(10))
    .addHelpText('after', `
Search reads the search indexes. While they are rebuilt (after an upgrade, or once a process of an
earlier release wrote), it reads whole records instead — the same answers, slower — and, after
answering, starts a background process that carries the rebuild on for up to a minute; each
search goes on from where the last stopped (doctor says how far; doctor --repair rebuilds at once).`)
    .action((words: string[], o: Opts & { project?: string; limit: number }) => run(async (ctx) => (await load.search()).searchCommand(ctx, words, o), o))
  windowFilters(teamReads(add('history <setup>', "a setup's commits, grades, bugs and journal, newest first", 'agent-tracker history build@openai/gpt-5 --limit 50')))
    .option('--project <path-or-name>', 'only this project').addOption(limitOption())
    .action((setup: string, o: Opts & WindowFlags & { project?: string; limit: number }) => run(async (ctx) => (await load.history()).historyCommand(ctx, setup, o), o))
  teamReads(addWriting('projects', 'every project seen, with its language, framework and scope', 'agent-tracker projects --refresh'))
    .option('--refresh', 're-read AGENTS.md and manifests of project folders that changed')
    .action((o: Opts & { refresh?: boolean }) => run(async (ctx) => (await load.projects()).projectsCommand(ctx, o), o))
  addWriting('grade <setup> <commit>', "record your grade of a commit (and the agent's, if it gave none)", 'agent-tracker grade build@openai/gpt-5 a1b2c3d --user excellence --agent good --note "clean diff"')
    .requiredOption('--user <grade>', 'your grade: bad, neutral, good, excellence (or -1, 1, 2, 5)', once('--user'))
    .option('--agent <grade>', "the agent's grade, when it did not grade itself", once('--agent'))
    .option('--note <text>', 'why')
    .option('--trust', 'count the grade as yours though agent-tracker is not run at an interactive terminal (e.g. from your own script); refused inside an agent session')
    .addHelpText('after', `
A grade counts as yours when you give it at an interactive terminal that no agent session runs, or
with --trust. Otherwise (run from a script, a pipe, or by an agent) it is recorded as a cli-script
grade: reports show it by channel, and it counts for nothing.`)
    .action((setup: string, commit: string, o: Opts & { user: string; agent?: string; note?: string; trust?: boolean }) => run(async (ctx) => (await load.grade()).gradeCommand(ctx, setup, commit, o), o))
  addWriting('bug [setup]', 'report a bug made by a setup (SP −1, halted at 0); or confirm or dismiss a suspected bug found in git; alone, list the suspected bugs waiting for a verdict', 'agent-tracker bug build@google/gemini-2.5-pro --commit a1b2c3d --note "broke login"')
    .option('--commit <hash>', 'the commit that caused it').option('--note <text>', 'what went wrong')
    .option('--confirm <handle>', 'confirm a suspected bug (as agent-tracker evidence lists it): it becomes a bug, SP −1')
    .option('--dismiss <handle>', 'dismiss a suspected bug: the fix did not fix a bug of this commit')
    .action((setup: string | undefined, o: Opts & { commit?: string; note?: string; confirm?: string; dismiss?: string }) => run(async (ctx) => (await load.bug()).bugCommand(ctx, setup, o), o))
  teamReads(addWriting('evidence [folder...]', "read each project's git history for evidence about agent commits — suspected bugs (fixes that changed their lines), reverts, lines that survive, churn — and show it per setup; with --list --team, the team's", 'agent-tracker evidence ~/code/shop'))
    .option('--full', 'scan the whole history again, not only the commits since the last scan')
    .option('--fix-pattern <regex...>', 'commit-message patterns that mark a fix (default: fix, bug, hotfix, regression, issue references)')
    .option('--list', 'only show the recorded evidence; read no git history')
    .addOption(new Option('--limit <n>', 'suspected bugs waiting for a verdict shown at most, newest first (default: all)').argParser(positiveInteger))
    .action((folders: string[], o: Opts & { full?: boolean; fixPattern?: string[]; list?: boolean; limit?: number }) => run(async (ctx) => (await load.evidence()).evidenceCommand(ctx, folders, o), o))
  addWriting('reinstate <setup>', 'let a halted setup work again (SP back to 1)', 'agent-tracker reinstate build@ollama/qwen3-coder')
    .option('--note <text>', 'why')
    .action((setup: string, o: Opts & { note?: string }) => run(async (ctx) => (await load.reinstate()).reinstateCommand(ctx, setup, o), o))
  teamReads(addWriting('retro [setup]', 'list retrospectives; with --note, add your note to one (earlier notes are kept; each starts a line)', 'agent-tracker retro build@openai/gpt-5 --commit a1b2c3d --note "ask before changing the schema"'))
    .option('--commit <hash>', 'the commit (default: the latest)').option('--note <text>', 'your note').option('--task <text>', 'what the commit was for')
    .option('--project <path-or-name>', 'only this project').addOption(limitOption())
    .action((setup: string | undefined, o: Opts & { commit?: string; note?: string; task?: string; project?: string; limit: number }) => run(async (ctx) => (await load.retro()).retroCommand(ctx, setup, o), o))
  teamReads(addWriting('activity [setup]', 'list journal entries; with --task, log one', 'agent-tracker activity build@openai/gpt-5 --task "migrate to v2" --outcome done'))
    .option('--task <text>', 'log an entry: what the setup worked on (without it, entries are listed)')
    .option('--actions <text>', 'with --task: what it did')
    .option('--outcome <text>', 'with --task: how it ended (words like failed, broke or reverted mark it as a mistake prior art warns of)')
    .option('--decisions <text>', 'with --task: what it decided, and why')
    .option('--project <path-or-name>', 'the project (default: the one the current folder is in — a recorded project or git work tree —, else the one the setup worked in last)').addOption(limitOption())
    .action((setup: string | undefined, o: Opts & { task?: string; actions?: string; outcome?: string; decisions?: string; project?: string; limit: number }) => run(async (ctx) => (await load.activity()).activityCommand(ctx, setup, o), o))
  addWriting('migrate [dir...]', "bring old per-project databases and .agent/ .journal/ files into the central database", 'agent-tracker migrate ~/code/shop ~/code/api')
    .option('--setup <id>', 'the setup legacy journal files belong to (default: the one .agent/status.json names; files it cannot name go to a setup "unattributed-<folder>" that a later --setup moves)')
    .option('--again', 'also repeat migrations that finished before (to pick up legacy data added since)')
    .option('--timezone <zone>', LEGACY_ZONE)
    .action((dirs: string[], o: Opts & { setup?: string; again?: boolean; timezone?: string }) => run(async (ctx) => (await load.migrate()).migrateCommand(ctx, dirs, o), o))
  addWriting('upgrade', "replace the predecessor's (opencode-agent-tracker) central database at the path with agent-tracker's, importing everything it holds; the old one is kept beside it", 'agent-tracker upgrade --dry-run')
    .option('--dry-run', 'only say what would be imported and where the old database would be kept')
    .option('--timezone <zone>', LEGACY_ZONE)
    .addHelpText('after', `
The old database is kept, unchanged, as <database>.predecessor-<time>. Stopped at any moment, the
upgrade leaves either the old database at the path or the new one complete; run it again to finish.
Close OpenCode (with the old plugin) first: while another process has the old database open, upgrade names it and changes nothing.`)
    .action((o: Opts & { dryRun?: boolean; timezone?: string }) => run(async (ctx) => (await load.upgrade()).upgradeCommand(ctx, o), o))
  addWriting('merge [db]', "add another agent-tracker database (e.g. another machine's) to this one, recomputed from its facts; every merge can be undone", 'agent-tracker merge ~/Downloads/laptop.lmdb --dry-run')
    .option('--dry-run', 'merge into a scratch copy and say what would change (with --undo: what the undo would do); change nothing')
    .option('--undo <id>', 'put the database back as it was before that merge (its id is printed by the merge)')
    .option('--force', 'with --undo: undo even though facts were recorded after the merge (they are lost)')
    .option('--timezone <zone>', LEGACY_ZONE)
    .addHelpText('after', MERGE_HELP)
    .action((other: string | undefined, o: Opts & { dryRun?: boolean; undo?: string; force?: boolean; timezone?: string }) => run(async (ctx) => {
      if (o.undo !== undefined) {
        // An undo puts this database back; a database named beside it would be silently unused.
        if (other !== undefined) throw new CliError('USAGE', `merge --undo ${o.undo} takes no database to merge from, and ${other} was given too: an undo only puts this database (--db) back as it was before that merge. Run merge <db> to merge, or merge --undo <id> alone to undo.`, EXIT.usage)
        return (await load.mergeUndo()).undoMergeCommand(ctx, o.undo, o)
      }
      if (o.force === true) throw new CliError('USAGE', '--force goes only with --undo <id> (to undo a merge though facts were recorded after it); a merge itself takes no --force.', EXIT.usage)
      if (other === undefined) throw new CliError('USAGE', 'merge needs the database to merge from (agent-tracker merge <db>), or --undo <id>.', EXIT.usage)
      return (await load.merge()).mergeCommand(ctx, other, o)
    }, o))
  reportFilters(teamReads(add('export', 'export data as JSON, JSON lines or CSV (streamed: any size, little memory), or a report with charts as one HTML file; the filters narrow every format', 'agent-tracker export --format html --out report.html')))
    .requiredOption('--format <format>', 'json (one document), jsonl (one record per line: {"collection", "record"}), csv or html')
    .option('--out <file>', 'write to this file; - is stdout (default: stdout; for html, agent-tracker-report.html)')
    .option('--table <name>', 'for csv: report (default) or a collection: setups, projects, commits, retrospectives, gradeEvents, bugs, activities, evidence, usage; for json and jsonl: one collection only (default: all); not for html')
    .action((o: Opts & ReportOptions & { format: string; out?: string; table?: string }) => run(async (ctx) => (await load.export()).exportCommand(ctx, o), o))
  addWriting('ingest', 'record facts from JSON lines on stdin (one fact per line), e.g. from another agent host', 'agent-tracker ingest < facts.jsonl')
    .option('--file <path>', 'read this file instead of stdin')
    .option('--trust', 'count the user grades in the input as yours (they come from your own tool); refused inside an agent session')
    .addHelpText('after', `
Grades are recorded with the channel "ingest"; user grades count as yours only with --trust.
One fact per line; "id" and "at" (ISO 8601, with Z or ±hh:mm, or a bare date: midnight UTC) are optional;
a field its kind does not take (below) rejects the line. A line without "id" gets one from what its fact
says (identical lines are told apart by their order), so input ingested again, corrected or added to,
stores nothing twice. Kinds and their fields:
  tool_call {tool, ok, exitCode?}   command {command}   commit {hash, message?, task?, amends?}   push {remote?, branch?}
  grade {commit, by: "user"|"agent", userGrade?, agentGrade?, userNote?, agentNote?}   bug {by, commit?, note?}
  reinstate {note?}   retrospective {commit, task?, agentNote?, userNote?}   activity {task, actions?, outcome?, decisions?}
  usage {tokens: {input, output, reasoning, cacheRead, cacheWrite}, cost}
  evidence {signal: "suspected-bug"|"revert"|"survival"|"churn", commit, source, …}   verdict {evidence, verdict: "confirmed"|"dismissed"|"retracted"}
Every fact has "setup" (agent@provider/model) and "project" (absolute path); a commit's "hash" and a
fact's "commit" are git hashes (4 to 64 lowercase hex digits), e.g.
  {"kind":"commit","setup":"build@anthropic/claude-sonnet-4-5","project":"/home/me/shop","hash":"a1b2c3d","message":"Add cart"}
A commit made by \`git commit --amend\` names the commit it replaced in "amends" (its full hash, 40 or 64
hex digits): it takes that commit's place, and the commit counts once.`)
    .action((o: Opts & { file?: string; trust?: boolean }) => run(async (ctx) => (await load.ingest()).ingestCommand(ctx, o), o))
  add('sync', "send this machine's new facts to the team database (idempotent; resumes where it stopped)", 'agent-tracker sync --url postgres://me@db.example.com/tracker --member ana')
    .option('--url <postgres-url>', 'the team database (default: $AGENT_TRACKER_TEAM_URL, else team.url in ~/.config/agent-tracker/config.json); passwords go in PGPASSWORD or ~/.pgpass')
    .option('--member <name>', 'your name in the team (default: $AGENT_TRACKER_TEAM_MEMBER, else team.member, else your login name)')
    .addOption(new Option('--batch-size <n>', 'facts per transaction').default(1000).argParser(positiveInteger))
    .action((o: Opts & { url?: string; member?: string; batchSize?: number }) => run(async (ctx) => (await load.sync()).syncCommand(ctx, o), o))
  writes(add('import [source]', `bring in the history agent hosts keep on disk: ${IMPORT_SOURCES.join(', ')} (default all: every one found)`, 'agent-tracker import claude-code --since 30d'))
    .option('--since <when>', 'only what happened from this day or time on: 2026-10-15, 20261015, 2026-10-15T09:00, today, yesterday, 7d, 4w, 3m')
    .option('--timezone <zone>', `the zone --since is read in: ${ZONES}`)
    .option('--dry-run', 'read and count, but write nothing')
    .option('--from <path>', "read this file or folder instead of the host's own (one source only)")
    .option('--identity <identity>', 'how setups are named: agent+model (default) or agent, as your live tracking names them')
    .option('--no-evidence', "do not read the imported projects' git histories for evidence afterwards (agent-tracker evidence does it later)")
    .addHelpText('after', `
Where each host keeps its history:
  opencode     $XDG_DATA_HOME/opencode (else ~/.local/share/opencode): opencode*.db (or $OPENCODE_DB), and storage/ of versions before 1.2
  claude-code  <config>/projects/**/*.jsonl for each folder of $CLAUDE_CONFIG_DIR (comma-separated), else ~/.claude and ~/.config/claude
  codex        $CODEX_HOME (else ~/.codex): sessions/**/rollout-*.jsonl and archived_sessions/
Rerunning an import, or importing sessions tracked live, adds nothing: facts keep the host's own ids.
Costs are the host's own figures where it records them (OpenCode), else estimated from list prices.
Then each imported project's git history is read for evidence (suspected bugs, reverts, lines that last, churn), as agent-tracker evidence does.`)
    .action((source: string | undefined, o: Opts & { since?: string; timezone?: string; dryRun?: boolean; from?: string; identity?: string; evidence?: boolean }) => run(async (ctx) => (await load.import()).importCommand(ctx, source, o), o))
  const hooks = program.command('hooks').description("set up (or remove) an agent host's hooks (Claude Code) to track it live")
  common(hooks.command('install <host>').description("write agent-tracker's hooks into Claude Code's settings (this project's .claude/, or yours with --global), keeping what is there, and the /grade /bug /reinstate /tracker commands"), 'agent-tracker hooks install claude-code --global')
    .option('--global', "install for every project: $CLAUDE_CONFIG_DIR or ~/.claude instead of ./.claude")
    .option('--local', "install in this project's .claude/settings.local.json, your personal settings for it (kept out of git), not the shared settings.json")
    .option('--command <command>', 'the program Claude Code starts agent-tracker with, and nothing after it (the hooks add `hook claude-code`; the database goes with --db), e.g. node /abs/bin/agent-tracker.js or a wrapper script of yours (default: agent-tracker when it is on your PATH, else this copy by its full path)')
    .addHelpText('after', `
In a project, the hooks go into .claude/settings.json, which teams commit, when their command runs the
same on every machine (agent-tracker on your PATH, or --command). When it holds this machine's paths —
agent-tracker is not on your PATH, so the hooks run this copy by its full path, or --db names your
database — they go into .claude/settings.local.json instead, your personal settings for the project
(Claude Code runs the hooks of both), and the output says why. In a git work tree that would not ignore
settings.local.json, it is added to .git/info/exclude (the project's .gitignore is never edited).
Installing again moves agent-tracker's hooks between the two files as needed (a teammate's shared hooks
of another command stay, with a warning that both would run); hooks uninstall takes them out of both.
Each hook carries "statusMessage": "agent-tracker" (Claude Code shows it while the hook runs): that marks
it as agent-tracker's, so uninstall and doctor know it whatever command it runs.`)
    .exitOverride()
    .action((host: string, o: Opts & { global?: boolean; local?: boolean; command?: string }) => run(async (ctx) => { (await load.hooks()).hooksInstallCommand(ctx, host, o) }, o))
  common(hooks.command('uninstall <host>').description("remove agent-tracker's hooks and its /grade /bug /reinstate /tracker commands from Claude Code's settings (this project's .claude/settings.json and settings.local.json, or yours with --global), keeping everything else"), 'agent-tracker hooks uninstall claude-code --global')
    .option('--global', 'remove them from $CLAUDE_CONFIG_DIR or ~/.claude instead of ./.claude')
    .option('--command <command>', 'also remove hooks an earlier version wrote unmarked for this --command (a wrapper that does not name agent-tracker)')
    .exitOverride()
    .action((host: string, o: Opts & { global?: boolean; command?: string }) => run(async (ctx) => { (await load.hooks()).hooksUninstallCommand(ctx, host, o) }, o))
  program.command('hook <host>').description('the hook handler an agent host runs for each event (JSON on stdin): claude-code')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', `
Installed by: agent-tracker hooks install claude-code. Options: --db <path>, --identity agent+model|agent,
--enforce-halt block|warn|off (what a halted setup's tool calls get), --no-env-protection,
--foreground (do the work of Stop and SubagentStop in this process; by default it goes on in a
detached one, and the hook answers at once).

Example:
  $ echo '{"hook_event_name":"Stop",…}' | agent-tracker hook claude-code`)
    .exitOverride()
    .action((_host: string, _o: unknown, command: Command) => run(async () => (await load.hook()).runHookCommand(command.args, io), {}))
  add('doctor [folder]', 'check the database (path, what it is, size and limit, schema, readers, migrations), a project folder\'s legacy data (default: the current folder), the plugin in OpenCode\'s config, Claude Code\'s hooks, protected files, and whether grades given here count', 'agent-tracker doctor ~/code/shop --check')
    .option('--check', 'also recompute the day rollups from the records and the fact log (and the setup totals from the rollups), and report any drift, and any setup whose scores disagree with them; list the grades, reviews and bugs that name a commit not recorded in their project; and read every search entry against its record (reads everything)')
    .option('--repair', 'recompute the day rollups and setup totals as --check does and rewrite those that drifted, in one write (other writers wait meanwhile)')
    .option('--deep', 'also walk every page and read every value (in a child process), and report damage by sub-database')
    .option('--max-size <size>', 'the size limit to check the database against, e.g. the plugin\'s maxDatabaseSize (default: $AGENT_TRACKER_MAX_SIZE, else 512 MiB)')
    .option('--salvage <new-file>', 'copy everything still readable from a damaged database into a new one at <new-file> (scores recomputed from the facts), and say what was skipped')
    .addHelpText('after', `
The folder's project is the root of the git work tree holding it: its legacy data, the OpenCode config
read from the folder up to that root, and Claude Code's settings at that root and in the folder are
checked, and each line names the folders it looked in.
Each check is ✓ fine, ! a finding to look at (nothing is broken) or ✗ a problem. doctor exits 1
when a check found a problem, else 0; with --json, "healthy" says the same (findings alone leave it true).`)
    .action((folder: string | undefined, o: Opts & { check?: boolean; deep?: boolean; salvage?: string; repair?: boolean }) => run(async (ctx) => (await load.doctor()).doctorCommand(ctx, folder, o), o))
  add('init', 'add the plugin to opencode.json (this repository\'s root, or --global), keeping the file\'s comments and layout', 'agent-tracker init --global')
    .option('--global', 'configure OpenCode\'s global config ($XDG_CONFIG_HOME/opencode, else ~/.config/opencode) instead of ./opencode.json')
    .option('--database-path <path>', 'plugin option databasePath: where the plugin keeps the database')
    .option('--max-size <size>', 'plugin option maxDatabaseSize, e.g. 1GiB')
    .option('--remove', 'take the plugin out of that config instead (OpenCode stops recording; the database stays)')
    .action((o: Opts & { global?: boolean; databasePath?: string; remove?: boolean }) => run(async (ctx) => { (await load.init()).initCommand(ctx, o) }, o))
  // Started by search, detached, when the search indexes are not in step (see search-build.ts).
  program.command('search-index-build', { hidden: true }).requiredOption('--db <path>').exitOverride()
    .action((o: { db: string }) => run(async () => (await load.searchBuild()).runSearchBuild(o.db, io), {}))
  program.command('demo').description('play a realistic multi-project history into a temporary database and show the report and recommendations')
    .option('--dir <folder>', 'where to create the demo (default: a new temporary folder)')
    .option('--json', 'print only JSON on stdout')
    .addHelpText('after', '\nExample:\n  $ agent-tracker demo')
    .exitOverride()
    .action((o: { dir?: string; json?: boolean }) => run(async () => (await load.demo()).demoCommand(io, o), {}))
  return program
}

/**
 * commander's message for a required option left out ("required option '--format <format>' not
 * specified") or given without its value ("option '--by <group>' argument missing"), with what
 * the option accepts (its description) — as every other error names it.
 */
function withAccepted(program: Command, text: string): string {
  const flags = /option '([^']+)' (?:not specified|argument missing)/.exec(text)?.[1]
  const option = [program, ...program.commands].flatMap((command) => command.options).find((candidate) => candidate.flags === flags)
  if (flags === undefined || option === undefined) return text
  // A replacer, not a replacement string: a description's `$` is text.
  return text.replace(/(not specified|argument missing)\n?/, (_, said: string) => `${said}: give ${flags.split(' ')[0] ?? flags} ${option.description}\n`)
}
