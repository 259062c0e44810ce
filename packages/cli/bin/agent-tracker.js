#!/usr/bin/env node
import { fileURLToPath } from 'node:url'

// Runs the bundled CLI (see scripts/bundle.js and src/launch.ts).
const { launch } = await import('../bundle/launch.js')
process.exitCode = await launch(fileURLToPath(import.meta.url), process.argv.slice(2))
