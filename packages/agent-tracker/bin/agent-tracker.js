#!/usr/bin/env node
'use strict'
// The unscoped name of the agent-tracker command: `npx agent-tracker …` runs @agent-tracker/cli
// as its own binary does (its bundled build, under a supervisor where a command needs one).
// CommonJS (bin/package.json), and so is the launcher it requires, by its file in that package (its
// `./main` export is the ES module build): Node starts them without its ES module loader, ~20 ms
// of every command.
const { dirname, join } = require('node:path')

/** @type {{ launch(script: string, args: readonly string[]): Promise<number>, exitOnceWritten(code: number): void }} */
const { launch, exitOnceWritten } = require(join(dirname(require.resolve('@agent-tracker/cli/package.json')), 'bundle', 'launch.cjs'))

// Ended once its output is out, not when Node's event loop runs empty: on Node 20 that end can hang
// for good (see exitOnceWritten).
void launch(__filename, process.argv.slice(2)).then((code) => {
  process.exitCode = code
  exitOnceWritten(code)
})
