import { afterEach } from 'vitest'
import { removeTempFolders } from './legacy-fixtures.js'

// A setup file runs before every test file, also where test files share their modules
// (`isolate: false`): a hook registered by a shared module would belong to the first file only.
afterEach(removeTempFolders)
