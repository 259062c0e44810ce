#!/usr/bin/env node
// The unscoped name of the agent-tracker command: `npx agent-tracker …` runs @agent-tracker/cli
// as its own binary does (its bundled build, under a supervisor where a command needs one).
import { fileURLToPath } from 'node:url'
import { launch } from '@agent-tracker/cli/main'

process.exitCode = await launch(fileURLToPath(import.meta.url), process.argv.slice(2))
