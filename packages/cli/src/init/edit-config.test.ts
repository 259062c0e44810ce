import type { ParseError } from 'jsonc-parser'
import { parse } from 'jsonc-parser'
import { describe, expect, it } from 'vitest'
import { addPluginToConfig, removePluginFromConfig, removePredecessorFromConfig } from './edit-config.js'

const PLUGIN = '@agent-tracker/opencode-plugin'

describe('addPluginToConfig makes the smallest edit', () => {
  it('adds the entry after the last one, leaving its comment on its line', () => {
    const text = `{
  "$schema": "https://opencode.ai/config.json",
  "plugin": [
    "opencode-wakatime", // keep this one
  ],
  "model": "anthropic/claude-sonnet-4-5" // the default model
}
`
    expect(addPluginToConfig(text, {}).text).toBe(`{
  "$schema": "https://opencode.ai/config.json",
  "plugin": [
    "opencode-wakatime", // keep this one
    "${PLUGIN}",
  ],
  "model": "anthropic/claude-sonnet-4-5" // the default model
}
`)
  })

  it('keeps a byte-order mark at the start, adding and removing', () => {
    const text = '\uFEFF{\n  "plugin": ["opencode-wakatime"]\n}\n'
    const added = addPluginToConfig(text, {}).text
    expect(added).toBe(`\uFEFF{\n  "plugin": ["opencode-wakatime", "${PLUGIN}"]\n}\n`)
    expect(removePluginFromConfig(added)).toEqual({ text, removed: 1 })
  })

  it('puts a missing comma before a comment, not after it', () => {
    const text = '{\n  "plugin": [\n    "opencode-wakatime" // keep this one\n  ]\n}\n'
    expect(addPluginToConfig(text, {}).text).toBe(`{\n  "plugin": [\n    "opencode-wakatime", // keep this one\n    "${PLUGIN}"\n  ]\n}\n`)
  })

  it('adds a plugin list after the last property, leaving a trailing comment after "model" where it was', () => {
    const text = '{\n  "$schema": "https://opencode.ai/config.json",\n  "model": "anthropic/claude-sonnet-4-5" // the default model\n}\n'
    const edit = addPluginToConfig(text, {})
    expect(edit.text).toBe(`{\n  "$schema": "https://opencode.ai/config.json",\n  "model": "anthropic/claude-sonnet-4-5", // the default model\n  "plugin": ["${PLUGIN}"]\n}\n`)
    expect(edit.changes).toEqual([{ kind: 'plugin-added' }])
  })

  it('keeps the file\'s indentation (tabs, four spaces) and line endings, touching no other line', () => {
    const tabs = '{\n\t"plugin": [\n\t\t"opencode-wakatime" // keep\n\t],\n\t"theme": "dark"\n}\n'
    expect(addPluginToConfig(tabs, {}).text).toBe(`{\n\t"plugin": [\n\t\t"opencode-wakatime", // keep\n\t\t"${PLUGIN}"\n\t],\n\t"theme": "dark"\n}\n`)
    const four = '{\r\n    "theme": "dark",\r\n    "share": "disabled"\r\n}\r\n'
    expect(addPluginToConfig(four, {}).text).toBe(`{\r\n    "theme": "dark",\r\n    "share": "disabled",\r\n    "plugin": ["${PLUGIN}"]\r\n}\r\n`)
    const inline = '{ "plugin": ["opencode-wakatime"], "theme": "dark" }'
    expect(addPluginToConfig(inline, {}).text).toBe(`{ "plugin": ["opencode-wakatime", "${PLUGIN}"], "theme": "dark" }`)
    expect(addPluginToConfig('{}', {}).text).toBe(`{\n  "plugin": ["${PLUGIN}"]\n}`)
    expect(addPluginToConfig('{ "plugin": [] }', {}).text).toBe(`{ "plugin": ["${PLUGIN}"] }`)
  })

  it("takes the place of the predecessor's plugin, whatever its version or options, leaving the rest of the list", () => {
    const text = '{\n  "plugin": [\n    "opencode-wakatime",\n    "opencode-agent-tracker@1.4.0", // the old tracker\n    "other"\n  ]\n}\n'
    const edit = addPluginToConfig(text, {})
    expect(edit.text).toBe(`{\n  "plugin": [\n    "opencode-wakatime",\n    "${PLUGIN}", // the old tracker\n    "other"\n  ]\n}\n`)
    expect(edit.changes).toEqual([{ kind: 'plugin-replaced', from: '"opencode-agent-tracker@1.4.0"' }])
    const withOptions = addPluginToConfig('{ "plugin": [["opencode-agent-tracker", { "x": 1 }]] }', { databasePath: '~/t.lmdb' })
    expect(parse(withOptions.text)).toEqual({ plugin: [[PLUGIN, { databasePath: '~/t.lmdb' }]] })
    expect(withOptions.changes).toEqual([{ kind: 'plugin-replaced', from: '["opencode-agent-tracker",{"x":1}]' }, { kind: 'option-added', option: 'databasePath', value: '~/t.lmdb' }])
    // A name that only starts alike is another plugin.
    expect(parse(addPluginToConfig('{ "plugin": ["opencode-agent-tracker-extra"] }', {}).text)).toEqual({ plugin: ['opencode-agent-tracker-extra', PLUGIN] })
  })

  it("takes the predecessor's plugin out when this one is in the list already, keeping comments and layout", () => {
    const text = `{\n  // plugins\n  "plugin": [\n    "${PLUGIN}", // ours\n    "opencode-agent-tracker@1.4.0",\n    "opencode-wakatime" // keep\n  ]\n}\n`
    const edit = addPluginToConfig(text, {})
    expect(edit.text).toBe(`{\n  // plugins\n  "plugin": [\n    "${PLUGIN}", // ours\n    "opencode-wakatime" // keep\n  ]\n}\n`)
    expect(edit.changes).toEqual([{ kind: 'predecessor-removed', from: '"opencode-agent-tracker@1.4.0"' }])
    const withOptions = addPluginToConfig(`{ "plugin": [["opencode-agent-tracker", { "x": 1 }], "${PLUGIN}@0.1.0"] }`, { databasePath: '~/t.lmdb' })
    expect(withOptions.text).toBe(`{ "plugin": [["${PLUGIN}@0.1.0", { "databasePath": "~/t.lmdb" }]] }`)
    expect(withOptions.changes).toEqual([{ kind: 'option-added', option: 'databasePath', value: '~/t.lmdb' }, { kind: 'predecessor-removed', from: '["opencode-agent-tracker",{"x":1}]' }])
    // Listed twice and this one not at all: the first entry takes its place, the second goes.
    const twice = addPluginToConfig('{ "plugin": ["opencode-agent-tracker", "other", "opencode-agent-tracker@0.0.9"] }', {})
    expect(twice.text).toBe(`{ "plugin": ["${PLUGIN}", "other"] }`)
    expect(twice.changes).toEqual([{ kind: 'plugin-replaced', from: '"opencode-agent-tracker"' }, { kind: 'predecessor-removed', from: '"opencode-agent-tracker@0.0.9"' }])
    expect(removePredecessorFromConfig('{\n  "plugin": ["opencode-agent-tracker"],\n  "theme": "dark"\n}\n')).toEqual({ text: '{\n  "theme": "dark"\n}\n', removed: ['"opencode-agent-tracker"'] })
  })

  it('keeps existing plugin options, adds new ones and changes only those given, saying which', () => {
    const text = `{
  "plugin": [
    ["${PLUGIN}", {
      "exportStatus": "always", // write .agent/status.json everywhere
      "databasePath": "~/old.lmdb"
    }]
  ]
}
`
    const edit = addPluginToConfig(text, { databasePath: '~/tracker.lmdb', maxDatabaseSize: 1073741824 })
    expect(edit.text).toBe(`{
  "plugin": [
    ["${PLUGIN}", {
      "exportStatus": "always", // write .agent/status.json everywhere
      "databasePath": "~/tracker.lmdb",
      "maxDatabaseSize": 1073741824
    }]
  ]
}
`)
    expect(edit.changes).toEqual([
      { kind: 'option-changed', option: 'databasePath', from: '~/old.lmdb', to: '~/tracker.lmdb' },
      { kind: 'option-added', option: 'maxDatabaseSize', value: 1073741824 },
    ])
    expect(edit.keptOptions).toEqual(['exportStatus'])
  })

  it('turns a bare entry into one with options in place, and changes nothing when all is as asked', () => {
    const bare = `{\n  "plugin": ["opencode-wakatime", "${PLUGIN}"] // both\n}\n`
    const edit = addPluginToConfig(bare, { databasePath: '/data/t.lmdb' })
    expect(edit.text).toBe(`{\n  "plugin": ["opencode-wakatime", ["${PLUGIN}", { "databasePath": "/data/t.lmdb" }]] // both\n}\n`)
    expect(parse(edit.text)).toEqual({ plugin: ['opencode-wakatime', [PLUGIN, { databasePath: '/data/t.lmdb' }]] })
    expect(addPluginToConfig(edit.text, { databasePath: '/data/t.lmdb' })).toEqual({ text: edit.text, changes: [], keptOptions: [] })
    expect(addPluginToConfig(bare, {})).toEqual({ text: bare, changes: [], keptOptions: [] })
  })

  it("keeps the entry's own spec — a pinned version, a local copy's path — when it adds options", () => {
    for (const spec of [`${PLUGIN}@0.1.0`, 'file:///home/me/agent-tracker/packages/opencode-plugin', './vendor/agent-tracker/packages/opencode-plugin']) {
      const text = `{\n  "plugin": [\n    "opencode-wakatime",\n    ${JSON.stringify(spec)} // mine\n  ]\n}\n`
      const edit = addPluginToConfig(text, { maxDatabaseSize: 1073741824 })
      expect(edit.text).toBe(`{\n  "plugin": [\n    "opencode-wakatime",\n    [${JSON.stringify(spec)}, { "maxDatabaseSize": 1073741824 }] // mine\n  ]\n}\n`)
      expect(edit.changes).toEqual([{ kind: 'option-added', option: 'maxDatabaseSize', value: 1073741824 }])
      // Already [spec, options]: the spec and the other options stay.
      const again = addPluginToConfig(edit.text, { databasePath: '/data/t.lmdb', maxDatabaseSize: 1073741824 })
      expect(parse(again.text)).toEqual({ plugin: ['opencode-wakatime', [spec, { maxDatabaseSize: 1073741824, databasePath: '/data/t.lmdb' }]] })
      expect(again.keptOptions).toEqual([])
      const other = addPluginToConfig(`{ "plugin": [[${JSON.stringify(spec)}, { "exportStatus": "always" }]] }`, { databasePath: '/data/t.lmdb' })
      expect(parse(other.text)).toEqual({ plugin: [[spec, { exportStatus: 'always', databasePath: '/data/t.lmdb' }]] })
      expect(other.keptOptions).toEqual(['exportStatus'])
    }
  })

  it('recognises the plugin by a versioned name', () => {
    const text = `{ "plugin": ["${PLUGIN}@0.1.0"] }`
    expect(addPluginToConfig(text, {}).changes).toEqual([])
  })
})

describe('removePluginFromConfig makes the smallest edit', () => {
  it('takes an entry on a line of its own with its line, leaving the others and their comments', () => {
    const text = `{
  "plugin": [
    "opencode-wakatime", // keep this one
    ["${PLUGIN}", { "databasePath": "/data/tracker.lmdb" }], // ours
    "another-plugin"
  ],
  "model": "anthropic/claude-sonnet-4-5" // the default model
}
`
    expect(removePluginFromConfig(text)).toEqual({ removed: 1, text: `{
  "plugin": [
    "opencode-wakatime", // keep this one
    "another-plugin"
  ],
  "model": "anthropic/claude-sonnet-4-5" // the default model
}
` })
  })

  it('takes a block comment before the entry on its line with it', () => {
    const text = `{\n  "plugin": [\n    "a",\n    /* tracking */ "${PLUGIN}", // ours\n    /* keep */ "b"\n  ]\n}\n`
    expect(removePluginFromConfig(text)).toEqual({ removed: 1, text: '{\n  "plugin": [\n    "a",\n    /* keep */ "b"\n  ]\n}\n' })
  })

  it('takes the last entry of a list, and the comma it leaves behind when it had none of its own', () => {
    const text = `{\n  "plugin": [\n    "opencode-wakatime", // keep\n    "${PLUGIN}"\n  ]\n}\n`
    expect(removePluginFromConfig(text).text).toBe('{\n  "plugin": [\n    "opencode-wakatime" // keep\n  ]\n}\n')
    const trailing = `{\n  "plugin": [\n    "opencode-wakatime",\n    "${PLUGIN}",\n  ]\n}\n`
    expect(removePluginFromConfig(trailing).text).toBe('{\n  "plugin": [\n    "opencode-wakatime",\n  ]\n}\n')
  })

  it('takes an entry among others on one line with its comma', () => {
    expect(removePluginFromConfig(`{ "plugin": ["${PLUGIN}", "other"] }`).text).toBe('{ "plugin": ["other"] }')
    expect(removePluginFromConfig(`{ "plugin": ["other", ["${PLUGIN}", {}]] }`).text).toBe('{ "plugin": ["other"] }')
  })

  it('takes every entry of the plugin, whatever version each names', () => {
    const text = `{\n  "plugin": [\n    "${PLUGIN}",\n    "a",\n    "${PLUGIN}@1.0.0"\n  ]\n}\n`
    expect(removePluginFromConfig(text)).toEqual({ removed: 2, text: '{\n  "plugin": [\n    "a"\n  ]\n}\n' })
  })

  it('undoes what addPluginToConfig did, to the character', () => {
    for (const text of ['{\n  "$schema": "https://opencode.ai/config.json"\n}\n', '{\n\t"plugin": [\n\t\t"a",\n\t],\n}\n', '{ "plugin": ["a"] }', '{\r\n    "theme": "dark",\r\n    "share": "disabled"\r\n}\r\n', '{}']) {
      for (const options of [{}, { databasePath: '/x' }]) expect(removePluginFromConfig(addPluginToConfig(text, options).text)).toEqual({ text, removed: 1 })
    }
  })

  it('takes a list it leaves empty out too, with its line or its comma, leaving the config valid and tidy', () => {
    expect(removePluginFromConfig(`{\n  "$schema": "https://opencode.ai/config.json",\n  "plugin": ["${PLUGIN}"]\n}\n`).text).toBe('{\n  "$schema": "https://opencode.ai/config.json"\n}\n')
    expect(removePluginFromConfig(`{\n  "plugin": [\n    "${PLUGIN}", // tracking\n  ], // plugins\n  "model": "m"\n}\n`).text).toBe('{\n  "model": "m"\n}\n')
    expect(removePluginFromConfig(`{ "theme": "dark", "plugin": ["${PLUGIN}"] }`).text).toBe('{ "theme": "dark" }')
    expect(removePluginFromConfig(`{ "plugin": ["${PLUGIN}", "${PLUGIN}@0.1.0"], "theme": "dark" }`).text).toBe('{ "theme": "dark" }')
    expect(removePluginFromConfig(`{ "plugin": ["${PLUGIN}"] }`).text).toBe('{}')
    expect(removePluginFromConfig(`{\n  "plugin": [\n    "${PLUGIN}",\n  ],\n}\n`).text).toBe('{}\n')
  })

  it('keeps a list it leaves holding a comment, with the comment', () => {
    const text = `{\n  "plugin": [\n    // "opencode-wakatime",\n    "${PLUGIN}"\n  ]\n}\n`
    expect(removePluginFromConfig(text).text).toBe('{\n  "plugin": [\n    // "opencode-wakatime",\n  ]\n}\n')
  })

  it('finds the comma of an entry after a comment or on the next line, leaving no stray comma', () => {
    expect(removePluginFromConfig(`{ "plugin": ["${PLUGIN}" /* ours */, "a"] }`).text).toBe('{ "plugin": ["a"] }')
    expect(removePluginFromConfig(`{\n  "plugin": [\n    "${PLUGIN}" // ours\n    , "a"\n  ]\n}\n`).text).toBe('{\n  "plugin": [\n    "a"\n  ]\n}\n')
    expect(removePluginFromConfig(`{\n  "plugin": [\n    "a" // keep\n    , "${PLUGIN}"\n  ]\n}\n`).text).toBe('{\n  "plugin": [\n    "a" // keep\n  ]\n}\n')
  })

  it('keeps a trailing comma the file had, with no space left before it', () => {
    expect(removePluginFromConfig(`{ "plugin": ["a", "${PLUGIN}",] }`).text).toBe('{ "plugin": ["a",] }')
    expect(removePluginFromConfig(`{\n  "plugin": [\n    "a", "${PLUGIN}",\n    "b"\n  ]\n}\n`).text).toBe('{\n  "plugin": [\n    "a",\n    "b"\n  ]\n}\n')
  })

  it('leaves valid JSONC holding the same config without the plugin, however the list is laid out', () => {
    // Lists of the plugin and others, with spaces, line ends, comments and trailing commas between
    // them in every arrangement a seeded generator makes.
    let seed = 7
    const pick = <T>(choices: readonly T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return choices[seed % choices.length] as T
    }
    const gap = (): string => pick(['', ' ', '\n    ', ' /* c */ ', ' // c\n    ', '\n', '\r\n', '\t', ' /* m\n */ '])
    for (let run = 0; run < 3000; run++) {
      const entries = Array.from({ length: pick([1, 2, 3, 4]) }, () => pick([`"${PLUGIN}"`, `"${PLUGIN}@0.1.0"`, '"a"', `["${PLUGIN}", { "x": 1 }]`]))
      const list = `[${gap()}${entries.map((entry, at) => `${entry}${gap()}${at < entries.length - 1 || pick([false, false, true]) ? `,${gap()}` : ''}`).join('')}]`
      const text = `{${gap()}${pick(['', `"m": 1,${gap()}`])}"plugin":${gap()}${list}${gap()}${pick(['', `,${gap()}"t": 2`, `,${gap()}`])}${gap()}}`
      const before = parse(text, [], { allowTrailingComma: true }) as { plugin: unknown[] }
      const errors: ParseError[] = []
      const after = parse(removePluginFromConfig(text).text, errors, { allowTrailingComma: true }) as { plugin?: unknown[] }
      expect(errors, text).toEqual([])
      const kept = before.plugin.filter((entry) => entry === 'a')
      const rest = Object.fromEntries(Object.entries(before).filter(([key]) => key !== 'plugin'))
      expect(after, text).toEqual(kept.length > 0 || after.plugin !== undefined ? { ...rest, plugin: kept } : rest)
    }
  })

  it('changes nothing when the plugin is not there', () => {
    const text = '{\n  "plugin": ["opencode-wakatime"]\n}\n'
    expect(removePluginFromConfig(text)).toEqual({ text, removed: 0 })
    expect(removePluginFromConfig('{}')).toEqual({ text: '{}', removed: 0 })
  })
})
