// What a hook process loads (bundle/hook.cjs): the hook command without the CLI's parser.
export { runHookCommand } from './hook-command.js'
export { processIo } from './io.js'
