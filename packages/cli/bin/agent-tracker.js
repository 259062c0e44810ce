#!/usr/bin/env node
'use strict'
// Runs the bundled CLI (see scripts/bundle.js and src/launch.ts). CommonJS (bin/package.json), as is
// the launcher it requires: Node starts it without its ES module loader, ~20 ms of every command.
const { launch } = require('../bundle/launch.cjs')

void launch(__filename, process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
