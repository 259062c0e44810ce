import { teamFigures } from '/work/wt-team20/bench/dist/team-database.js'
const sizes = process.argv[2] === 'full' ? { syncFacts: 20_000, syncRuns: 1, members: 20, activitiesPerMember: 100_000, commitsPerMember: 2000, setups: 50, projects: 200 } : { syncFacts: 1000, syncRuns: 1, members: 2, activitiesPerMember: 2000, commitsPerMember: 100, setups: 5, projects: 10 }
const t0 = Date.now()
const measure = async (db, command, runs, reads) => { const { main } = await import('@agent-tracker/cli'); let out=''; const t=Date.now(); const code = await main([...command, '--db', db, '--json'], { stdout: { write: (x) => (out += x) }, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), homeDir: '/tmp' }); return { ownMs: 0, commandMs: Date.now()-t, cpuMs: 0, maxRssMb: 0, process: { median: 0, min: 0, max: 0, runs: 1 }, reads, code, out: out.slice(0, 200) } }
console.log(JSON.stringify(await teamFigures(sizes, 1, measure), null, 1), Date.now() - t0)
