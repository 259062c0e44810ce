import { afterEach } from 'vitest'
import { removeTempFolders } from './index.js'

// A test setup file (vitest's `setupFiles: ['@agent-tracker/test-folders/remove-after-each']`):
// setup files run before every test file, also where test files share their modules
// (`isolate: false`), so each file removes its folders after each of its tests.
afterEach(removeTempFolders)
