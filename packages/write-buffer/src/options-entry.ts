/** The buffer's options and their validation, without loading the buffer (for hosts that must start fast). */
export type { WriteBufferErrorCode, WriteBufferErrorDetails } from './errors.js'
export { WriteBufferError, isWriteBufferError } from './errors.js'
export type { ResolvedWriteBufferOptions, WriteBufferOptions } from './options.js'
export { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_PENDING, resolveWriteBufferOptions } from './options.js'
