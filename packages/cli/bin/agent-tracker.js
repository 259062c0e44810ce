#!/usr/bin/env node
'use strict'
// Runs the bundled CLI (see scripts/bundle.js and src/launch.ts). CommonJS (bin/package.json), as is
// the launcher it requires: Node starts it without its ES module loader, ~20 ms of every command.
const { launch, exitOnceWritten } = require('../bundle/launch.cjs')

// Ended once its output is out, not when Node's event loop runs empty: on Node 20 that end can hang
// for good (see exitOnceWritten).
void launch(__filename, process.argv.slice(2)).then((code) => {
  process.exitCode = code
  exitOnceWritten(code)
})
