import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The predecessor's own `.journal/` and `.agent/` files, copied from its history (see fixtures/README.md). */
export const PREDECESSOR_PROJECT = fileURLToPath(new URL('../fixtures/project', import.meta.url))

/** The project files, relative to a project folder. */
export const PREDECESSOR_FILES = {
  journal: join('.journal', '2026-02-23.md'),
  communication: join('.journal', 'communication.json'),
  status: join('.agent', 'status.json'),
} as const

/** Copies the predecessor's `.journal/` and `.agent/` files into `folder`. */
export function copyPredecessorProjectFiles(folder: string): void {
  cpSync(PREDECESSOR_PROJECT, folder, { recursive: true })
}

/** The text of one of the predecessor's project files. */
export function readPredecessorFile(file: keyof typeof PREDECESSOR_FILES): string {
  return readFileSync(join(PREDECESSOR_PROJECT, PREDECESSOR_FILES[file]), 'utf8')
}
