#!/usr/bin/env node
// The unscoped name of the agent-tracker command: `npx agent-tracker …` runs @agent-tracker/cli
// (its bundled build, as its own binary does).
import { main } from '@agent-tracker/cli/main'

process.exitCode = await main(process.argv.slice(2))
