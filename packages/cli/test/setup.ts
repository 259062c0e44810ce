import { afterAll } from 'vitest'
import { removeTempFolders } from '@agent-tracker/test-folders'

// A setup file runs before every test file, also where test files share their modules
// (`isolate: false`): a hook registered by a shared module would belong to the first file only.
afterAll(removeTempFolders)
