'use strict'
// Preloaded (`node --require`) into a run of the real agent-tracker binary: the bench measures a
// command as a user runs it — `node bin/agent-tracker.js …`, CommonJS, its code cache, its output
// written to a file (/dev/null) — and this reports what only the processes can see. At exit it
// appends one JSON line to the file named by AGENT_TRACKER_BENCH_FIGURES: the process id, the exit
// code, the time from here to exit (the program's own, after Node's start-up), the process's CPU
// time, its peak memory and its minor page faults (each first touch of a fresh page of memory: on
// a virtual machine the kernel's dearest step, see `pageFaultCost`). A command that runs under a
// supervisor (export, import, every writer) does its work in a child started with the same Node
// options, this file among them: each process adds its line. CommonJS and Node's own modules
// alone: it adds no module loader to what it measures.
const { appendFileSync } = require('node:fs')
const { peakRssMb } = require('./peak-rss.cjs')

const start = process.hrtime.bigint()
const file = process.env.AGENT_TRACKER_BENCH_FIGURES
if (file !== undefined && file !== '') {
  process.on('exit', (code) => {
    const usage = process.resourceUsage()
    const figures = { pid: process.pid, code, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMb: peakRssMb(), minorFaults: usage.minorPageFault }
    appendFileSync(file, `${JSON.stringify(figures)}\n`)
  })
}
