import type { Grade } from '@agent-tracker/core'

/** How a setup tends to do, per language: quality in [0, 1], bug and tool-failure rates, price. */
export interface DemoSetup {
  readonly id: string
  readonly quality: Readonly<Record<string, number>>
  /** Chance that a commit gets a bug report; tripled for work the user graded bad, less for excellent work. */
  readonly bugRate: number
  /** How often the agent grades its own commits, and how much better than its real quality it thinks it did. */
  readonly selfGrading: { readonly rate: number; readonly optimism: number }
  readonly toolFailureRate: number
  /** Dollars per million input and output tokens. */
  readonly price: { readonly input: number; readonly output: number }
}

/** A project folder the demo creates, with the manifest that gives it its profile. */
export interface DemoProject {
  readonly name: string
  readonly language: string
  readonly files: Readonly<Record<string, string>>
  readonly tasks: readonly string[]
  /** Which setups work on it. */
  readonly setups: readonly string[]
}

const SONNET = 'build@anthropic/claude-sonnet-4-5'
const GPT = 'build@openai/gpt-5'
const GEMINI = 'build@google/gemini-2.5-pro'
const OPUS = 'plan@anthropic/claude-opus-4-1'
const QWEN = 'build@ollama/qwen3-coder'

/**
 * Five setups with different strengths — the story the demo's report should tell: Opus is the
 * best and by far the dearest; Sonnet leads on TypeScript, GPT-5 on Python and Go; Gemini is
 * cheap and middling with more bugs; the free local Qwen is weak, buggy and rarely grades itself.
 */
export const DEMO_SETUPS: readonly DemoSetup[] = [
  { id: SONNET, quality: { typescript: 0.9, python: 0.6, rust: 0.78, go: 0.66 }, bugRate: 0.08, selfGrading: { rate: 0.9, optimism: 0.05 }, toolFailureRate: 0.05, price: { input: 3, output: 15 } },
  { id: GPT, quality: { typescript: 0.62, python: 0.92, rust: 0.6, go: 0.86 }, bugRate: 0.1, selfGrading: { rate: 0.8, optimism: 0.05 }, toolFailureRate: 0.06, price: { input: 1.25, output: 10 } },
  { id: GEMINI, quality: { typescript: 0.48, python: 0.44, rust: 0.4, go: 0.5 }, bugRate: 0.15, selfGrading: { rate: 0.25, optimism: 0.1 }, toolFailureRate: 0.09, price: { input: 1.25, output: 5 } },
  { id: OPUS, quality: { typescript: 0.84, python: 0.86, rust: 0.9, go: 0.86 }, bugRate: 0.03, selfGrading: { rate: 0.95, optimism: 0 }, toolFailureRate: 0.03, price: { input: 15, output: 75 } },
  { id: QWEN, quality: { typescript: 0.3, python: 0.32, rust: 0.22, go: 0.28 }, bugRate: 0.25, selfGrading: { rate: 0.35, optimism: 0.1 }, toolFailureRate: 0.16, price: { input: 0, output: 0 } },
]

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

/** Six projects across four languages. */
export const DEMO_PROJECTS: readonly DemoProject[] = [
  {
    name: 'storefront', language: 'typescript', setups: [SONNET, SONNET, GPT, QWEN],
    files: { 'package.json': json({ name: 'storefront', dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0', zod: '^4.0.0', '@tanstack/react-query': '^5.0.0' }, devDependencies: { typescript: '^5.9.0', vite: '^8.0.0' } }) },
    tasks: ['Add the shopping cart', 'Product search with filters', 'Checkout form validation', 'Stripe payment webhooks', 'Order history page', 'Dark mode', 'Inventory badges', 'Fix cart totals rounding'],
  },
  {
    name: 'admin-dashboard', language: 'typescript', setups: [SONNET, GPT, SONNET],
    files: { 'package.json': json({ name: 'admin-dashboard', dependencies: { next: '^16.0.0', react: '^19.0.0', 'react-dom': '^19.0.0', zod: '^4.0.0' }, devDependencies: { typescript: '^5.9.0' } }), 'AGENTS.md': '# Admin dashboard\n\n- **Language**: TypeScript\n- **Scope**: web-app\n' },
    tasks: ['Role-based access control', 'Sales charts', 'CSV export of orders', 'Audit log viewer', 'Bulk user import', 'Session timeout handling'],
  },
  {
    name: 'billing-api', language: 'python', setups: [GPT, GPT, SONNET, OPUS],
    files: { 'pyproject.toml': '[project]\nname = "billing-api"\ndependencies = [\n  "fastapi>=0.115",\n  "pydantic>=2",\n  "sqlalchemy>=2",\n  "stripe>=10",\n]\n' },
    tasks: ['Invoice endpoints', 'Stripe payment webhooks', 'Idempotent retries', 'Tax calculation by region', 'Refund flow', 'Pagination for invoices', 'Rate limiting'],
  },
  {
    name: 'ml-pipeline', language: 'python', setups: [GPT, OPUS, QWEN],
    files: { 'requirements.txt': 'torch==2.5.0\nnumpy>=2\npandas>=2.2\nscikit-learn>=1.5\n' },
    tasks: ['Feature extraction job', 'Training loop with early stopping', 'Model registry upload', 'Evaluation report', 'Data validation step'],
  },
  {
    name: 'ingest-cli', language: 'rust', setups: [SONNET, OPUS, GEMINI],
    files: { 'Cargo.toml': '[package]\nname = "ingest"\nversion = "0.1.0"\n\n[dependencies]\nclap = { version = "4", features = ["derive"] }\nserde = "1"\ntokio = { version = "1", features = ["full"] }\n' },
    tasks: ['Parse CSV input', 'Parallel uploads', 'Resume interrupted runs', 'Progress output', 'Config file support'],
  },
  {
    name: 'gateway', language: 'go', setups: [GPT, GPT, SONNET, GEMINI],
    files: { 'go.mod': 'module example.com/gateway\n\ngo 1.23\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/redis/go-redis/v9 v9.7.0\n)\n' },
    tasks: ['JWT authentication middleware', 'Rate limiting with Redis', 'Request tracing', 'Circuit breaker for upstreams', 'Health checks'],
  },
]

/** What the demo plays: setups, projects and the seed of its random choices. */
export interface DemoScenario {
  readonly setups: readonly DemoSetup[]
  readonly projects: readonly DemoProject[]
  readonly seed: number
}

/** The demo's story: the setups and projects above, always played from the same seed. */
export const DEMO_SCENARIO: DemoScenario = { setups: DEMO_SETUPS, projects: DEMO_PROJECTS, seed: 2026 }

/** A deterministic pseudo-random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A grade for work of the given quality in [0, 1]: mostly excellent or good near 1, mostly bad or
 * neutral near 0 (mean grade about 3.4 at 0.9, 1.2 at 0.5, 0.2 at 0.25).
 */
export function drawGrade(random: () => number, quality: number): Grade {
  const weights: readonly [Grade, number][] = [[5, 1.5 * quality ** 3], [2, 1.2 * quality], [1, 1 - quality], [-1, 2 * (1 - quality) ** 2]]
  let roll = random() * weights.reduce((sum, [, w]) => sum + w, 0)
  for (const [grade, weight] of weights) {
    roll -= weight
    if (roll < 0) return grade
  }
  return 1
}
