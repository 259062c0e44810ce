/** The sources `import` reads, and `all` (every one found); apart, so the CLI's help loads no reader. */
export const IMPORT_SOURCES = ['all', 'opencode', 'claude-code', 'codex'] as const
