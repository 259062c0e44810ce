import type { HistoryScenario, ScenarioProject, ScenarioSetup } from '@agent-tracker/core/backtest'
import { meanGradeOf } from '@agent-tracker/core/backtest'

/** How a demo setup tends to do per language: quality in [0, 1] (its true mean grade is `meanGradeOf(quality)`) and its bug rate. */
function demoSetup(id: string, quality: Readonly<Record<string, number>>, bugRate: number, rest: Omit<ScenarioSetup, 'id' | 'outcomes'>): ScenarioSetup {
  return { id, outcomes: Object.fromEntries(Object.entries(quality).map(([language, q]) => [language, { meanGrade: meanGradeOf(q), bugRate }])), ...rest }
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
export const DEMO_SETUPS: readonly ScenarioSetup[] = [
  demoSetup(SONNET, { typescript: 0.9, python: 0.6, rust: 0.78, go: 0.66 }, 0.08, { selfGrading: { rate: 0.9, optimism: 0.05 }, toolFailureRate: 0.05, price: { input: 3, output: 15 } }),
  demoSetup(GPT, { typescript: 0.62, python: 0.92, rust: 0.6, go: 0.86 }, 0.1, { selfGrading: { rate: 0.8, optimism: 0.05 }, toolFailureRate: 0.06, price: { input: 1.25, output: 10 } }),
  demoSetup(GEMINI, { typescript: 0.48, python: 0.44, rust: 0.4, go: 0.5 }, 0.15, { selfGrading: { rate: 0.25, optimism: 0.1 }, toolFailureRate: 0.09, price: { input: 1.25, output: 5 } }),
  demoSetup(OPUS, { typescript: 0.84, python: 0.86, rust: 0.9, go: 0.86 }, 0.03, { selfGrading: { rate: 0.95, optimism: 0 }, toolFailureRate: 0.03, price: { input: 15, output: 75 } }),
  demoSetup(QWEN, { typescript: 0.3, python: 0.32, rust: 0.22, go: 0.28 }, 0.25, { selfGrading: { rate: 0.35, optimism: 0.1 }, toolFailureRate: 0.16, price: { input: 0, output: 0 } }),
]

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

/** Six projects across four languages. */
export const DEMO_PROJECTS: readonly ScenarioProject[] = [
  {
    name: 'storefront', kind: 'typescript', setups: [SONNET, SONNET, GPT, QWEN],
    files: { 'package.json': json({ name: 'storefront', dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0', zod: '^4.0.0', '@tanstack/react-query': '^5.0.0' }, devDependencies: { typescript: '^5.9.0', vite: '^8.0.0' } }) },
    tasks: ['Add the shopping cart', 'Product search with filters', 'Checkout form validation', 'Stripe payment webhooks', 'Order history page', 'Dark mode', 'Inventory badges', 'Fix cart totals rounding'],
  },
  {
    name: 'admin-dashboard', kind: 'typescript', setups: [SONNET, GPT, SONNET],
    files: { 'package.json': json({ name: 'admin-dashboard', dependencies: { next: '^16.0.0', react: '^19.0.0', 'react-dom': '^19.0.0', zod: '^4.0.0' }, devDependencies: { typescript: '^5.9.0' } }), 'AGENTS.md': '# Admin dashboard\n\n- **Language**: TypeScript\n- **Scope**: web-app\n' },
    tasks: ['Role-based access control', 'Sales charts', 'CSV export of orders', 'Audit log viewer', 'Bulk user import', 'Session timeout handling'],
  },
  {
    name: 'billing-api', kind: 'python', setups: [GPT, GPT, SONNET, OPUS],
    files: { 'pyproject.toml': '[project]\nname = "billing-api"\ndependencies = [\n  "fastapi>=0.115",\n  "pydantic>=2",\n  "sqlalchemy>=2",\n  "stripe>=10",\n]\n' },
    tasks: ['Invoice endpoints', 'Stripe payment webhooks', 'Idempotent retries', 'Tax calculation by region', 'Refund flow', 'Pagination for invoices', 'Rate limiting'],
  },
  {
    name: 'ml-pipeline', kind: 'python', setups: [GPT, OPUS, QWEN],
    files: { 'requirements.txt': 'torch==2.5.0\nnumpy>=2\npandas>=2.2\nscikit-learn>=1.5\n' },
    tasks: ['Feature extraction job', 'Training loop with early stopping', 'Model registry upload', 'Evaluation report', 'Data validation step'],
  },
  {
    name: 'ingest-cli', kind: 'rust', setups: [SONNET, OPUS, GEMINI],
    files: { 'Cargo.toml': '[package]\nname = "ingest"\nversion = "0.1.0"\n\n[dependencies]\nclap = { version = "4", features = ["derive"] }\nserde = "1"\ntokio = { version = "1", features = ["full"] }\n' },
    tasks: ['Parse CSV input', 'Parallel uploads', 'Resume interrupted runs', 'Progress output', 'Config file support'],
  },
  {
    name: 'gateway', kind: 'go', setups: [GPT, GPT, SONNET, GEMINI],
    files: { 'go.mod': 'module example.com/gateway\n\ngo 1.23\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/redis/go-redis/v9 v9.7.0\n)\n' },
    tasks: ['JWT authentication middleware', 'Rate limiting with Redis', 'Request tracing', 'Circuit breaker for upstreams', 'Health checks'],
  },
]

/** The demo's story: eight weeks of work on the projects above, always played from the same seed (`demo` moves it to end today). */
export const DEMO_SCENARIO: HistoryScenario = {
  name: 'demo',
  description: 'six projects in four languages, five setups with different strengths',
  seed: 2029,
  start: '2026-09-07T00:00:00.000Z',
  days: 56,
  sessionChance: 0.6,
  tasksPerSession: [1, 3],
  toolCallsPerTask: [8, 25],
  userGradeRate: 0.85,
  pushRate: 0.7,
  setups: DEMO_SETUPS,
  projects: DEMO_PROJECTS,
}
