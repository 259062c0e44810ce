import { join } from 'node:path'
import { tempFolder } from '@agent-tracker/test-folders'
import { openTracker } from '../src/tracker/open-tracker.js'

/** A database a tracker wrote one tool call of `setup` to, in a project of its own (both in temporary folders). */
export async function databaseWithOneToolCall(setup: string): Promise<{ readonly databasePath: string; readonly project: string }> {
  const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
  const project = tempFolder('project-')
  const first = openTracker({ databasePath, project })
  await first.service.recordToolCall({ setup, project, tool: 'bash', ok: true })
  await first.close()
  return { databasePath, project }
}
