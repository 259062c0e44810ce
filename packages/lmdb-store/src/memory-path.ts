/** The path that selects a throw-away database in a temporary folder (tests, demos). */
export const MEMORY_PATH = ':memory:'
