import type { HistoryScenario, ScenarioProject, ScenarioSetup } from './history-scenario.js'

const SONNET = 'build@anthropic/claude-sonnet-4-5'
const GPT = 'build@openai/gpt-5'
const GEMINI = 'build@google/gemini-2.5-pro'
const NEWCOMER = 'build@moonshot/kimi-k2'

const WEB_EXTRAS = ['@tanstack/react-query', 'react-router', 'zustand', 'framer-motion']
const API_EXTRAS = ['helmet', 'pino', 'ioredis', 'bullmq']

/** A React web app: alike any other (similarity about 0.9), unlike the APIs (0.4: the language only). */
function webApp(index: number, setups: readonly string[], fromDay = 0): ScenarioProject {
  const name = `web-${String(index + 1)}`
  const dependencies = { react: '^19.0.0', 'react-dom': '^19.0.0', [WEB_EXTRAS[index % WEB_EXTRAS.length] ?? 'zustand']: '^1.0.0' }
  return { name, kind: 'web-app', setups, fromDay, files: { 'package.json': manifest(name, dependencies) }, tasks: ['Checkout form', 'Search page', 'Dark mode', 'Fix layout bug', 'Settings page', 'Accessibility pass'] }
}

/** An Express API on TypeScript. */
function api(index: number, setups: readonly string[], fromDay = 0): ScenarioProject {
  const name = `api-${String(index + 1)}`
  const dependencies = { express: '^5.0.0', pg: '^8.0.0', [API_EXTRAS[index % API_EXTRAS.length] ?? 'pino']: '^1.0.0' }
  return { name, kind: 'api', setups, fromDay, files: { 'package.json': manifest(name, dependencies) }, tasks: ['Invoice endpoint', 'Rate limiting', 'Pagination', 'Webhook retries', 'Auth middleware', 'Fix N+1 query'] }
}

function manifest(name: string, dependencies: Readonly<Record<string, string>>): string {
  return `${JSON.stringify({ name, dependencies, devDependencies: { typescript: '^5.9.0' } }, null, 2)}\n`
}

function setup(id: string, outcomes: ScenarioSetup['outcomes'], extra: Partial<ScenarioSetup> = {}): ScenarioSetup {
  return { id, outcomes, ...extra }
}

/** Twelve weeks of steady work; most scenarios differ only in setups and projects. */
const RHYTHM = {
  start: '2026-01-05T00:00:00.000Z',
  days: 84,
  sessionChance: 0.6,
  tasksPerSession: [1, 4],
  toolCallsPerTask: [2, 4],
  userGradeRate: 0.85,
  pushRate: 0.7,
} as const

const webProjects = (setups: readonly string[]): ScenarioProject[] => [webApp(0, setups), webApp(1, setups), webApp(2, setups, 21), webApp(3, setups, 42)]

/**
 * The five histories with known truth the backtest is judged on: a clear winner; two setups
 * closer than the noise; a setup great on web apps and poor on APIs; a newcomer with few commits;
 * a setup that gets worse after a model update.
 */
export const KNOWN_TRUTH_SCENARIOS: readonly HistoryScenario[] = [
  {
    ...RHYTHM,
    name: 'clear-winner',
    description: 'one setup is a full grade point better than the next on web apps',
    seed: 101,
    setups: [
      setup(SONNET, { 'web-app': { meanGrade: 3.2, bugRate: 0.05, costPerCommit: 0.3 } }),
      setup(GPT, { 'web-app': { meanGrade: 2.2, bugRate: 0.08, costPerCommit: 0.15 } }),
      setup(GEMINI, { 'web-app': { meanGrade: 1.2, bugRate: 0.12, costPerCommit: 0.1 } }),
    ],
    projects: webProjects([SONNET, GPT, GEMINI]),
  },
  {
    ...RHYTHM,
    name: 'closer-than-noise',
    description: 'two setups a tenth of a grade point apart, far less than one grade varies',
    seed: 202,
    setups: [
      setup(SONNET, { 'web-app': { meanGrade: 2.6, bugRate: 0.06, costPerCommit: 0.3 } }),
      setup(GPT, { 'web-app': { meanGrade: 2.5, bugRate: 0.06, costPerCommit: 0.12 } }),
      setup(GEMINI, { 'web-app': { meanGrade: 1.3, bugRate: 0.1, costPerCommit: 0.1 } }),
    ],
    projects: webProjects([SONNET, SONNET, GPT, GPT, GEMINI]),
  },
  {
    ...RHYTHM,
    name: 'web-vs-api',
    description: 'one setup is great on web apps and poor on APIs, the other steady on both',
    seed: 303,
    setups: [
      setup(SONNET, { 'web-app': { meanGrade: 3.3, bugRate: 0.05, costPerCommit: 0.28 }, api: { meanGrade: 1.5, bugRate: 0.12, costPerCommit: 0.45 } }),
      setup(GPT, { 'web-app': { meanGrade: 2.8, bugRate: 0.06, costPerCommit: 0.15 }, api: { meanGrade: 2.5, bugRate: 0.07, costPerCommit: 0.18 } }),
    ],
    projects: [webApp(0, [SONNET, GPT]), webApp(1, [SONNET, GPT]), webApp(2, [SONNET, GPT], 35), api(0, [SONNET, GPT]), api(1, [SONNET, GPT]), api(2, [SONNET, GPT], 35)],
  },
  {
    ...RHYTHM,
    name: 'newcomer',
    description: 'a better setup arrives in week nine and gets a fifth of the sessions',
    seed: 404,
    setups: [
      setup(SONNET, { 'web-app': { meanGrade: 2.8, bugRate: 0.06, costPerCommit: 0.3 } }),
      setup(GPT, { 'web-app': { meanGrade: 2.3, bugRate: 0.07, costPerCommit: 0.15 } }),
      setup(NEWCOMER, { 'web-app': { meanGrade: 3.3, bugRate: 0.05, costPerCommit: 0.06 } }, { fromDay: 56 }),
    ],
    projects: webProjects([SONNET, GPT, NEWCOMER, SONNET, GPT]),
  },
  {
    ...RHYTHM,
    name: 'drift',
    description: 'the best setup drops a grade and a half after a model update in week seven',
    seed: 505,
    setups: [
      setup(SONNET, { 'web-app': { meanGrade: 3.3, bugRate: 0.05, costPerCommit: 0.3 } }, { changes: [{ fromDay: 42, meanGrade: 1.8, bugRate: 0.1, costPerCommit: 0.36 }] }),
      setup(GPT, { 'web-app': { meanGrade: 2.6, bugRate: 0.06, costPerCommit: 0.15 } }),
      setup(GEMINI, { 'web-app': { meanGrade: 1.5, bugRate: 0.1, costPerCommit: 0.1 } }),
    ],
    projects: webProjects([SONNET, GPT, GEMINI]),
  },
]
