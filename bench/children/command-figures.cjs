'use strict'
// Preloaded (`node --require`) into a run of the real agent-tracker binary: the bench measures a
// command as a user runs it — `node bin/agent-tracker.js …`, CommonJS, its code cache, its output
// written to a file (/dev/null) — and this reports what only the process can see. At exit it writes
// to file descriptor 3, as JSON: the exit code, the time from here to exit (the program's own, after
// Node's start-up), the whole process's CPU time, and its peak memory. CommonJS and Node's own
// modules alone: it adds no module loader to what it measures.
const { writeSync } = require('node:fs')
const { peakRssMb } = require('./peak-rss.cjs')

const start = process.hrtime.bigint()
process.on('exit', (code) => {
  const usage = process.resourceUsage()
  const figures = { code, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMb: peakRssMb() }
  writeSync(3, JSON.stringify(figures))
})
