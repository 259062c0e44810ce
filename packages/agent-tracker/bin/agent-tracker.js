#!/usr/bin/env node
// The unscoped name of the agent-tracker command: `npx agent-tracker …` runs @agent-tracker/cli.
import { main } from '@agent-tracker/cli'

process.exitCode = await main(process.argv.slice(2))
