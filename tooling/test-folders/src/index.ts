import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const folders: string[] = []

/**
 * A fresh temporary folder, removed by {@link removeTempFolders}: a package's test setup file
 * (`test/setup.ts`) registers that after each test, or after each file where tests share folders
 * made in `beforeAll`. The setup file, not this module, registers it: where test files share their
 * modules (`isolate: false`), a hook registered here would belong to the first file only.
 */
export function tempFolder(prefix = 'agent-tracker-test-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix))
  folders.push(folder)
  return folder
}

/** Removes every folder {@link tempFolder} made since the last call. */
export function removeTempFolders(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
}
