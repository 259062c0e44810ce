import type { Node } from 'jsonc-parser'
import { findNodeAtLocation, getNodeValue, parseTree } from 'jsonc-parser'
import { PLUGIN_NAME, isOurPluginEntry, isPredecessorPluginEntry, splitByteOrderMark } from '../opencode-config.js'
import type { Layout } from './jsonc-layout.js'
import { detectLayout, endOfChildLine, indentOfLineAt, isMultiLine } from './jsonc-layout.js'

/** One change `init` made to the plugin's entry. */
export type ConfigChange =
  | { readonly kind: 'plugin-added' }
  /** The predecessor's plugin (`opencode-agent-tracker`) was in the list: this plugin took its place. */
  | { readonly kind: 'plugin-replaced'; readonly from: string }
  /** The predecessor's plugin was in the list beside this one (or twice): its entry was taken out. */
  | { readonly kind: 'predecessor-removed'; readonly from: string }
  | { readonly kind: 'option-added'; readonly option: string; readonly value: unknown }
  | { readonly kind: 'option-changed'; readonly option: string; readonly from: unknown; readonly to: unknown }

/** The edited text, what changed, and the plugin options the file keeps untouched. */
export interface ConfigEdit {
  readonly text: string
  readonly changes: readonly ConfigChange[]
  readonly keptOptions: readonly string[]
}

interface Insertion {
  readonly at: number
  readonly remove?: number
  readonly text: string
}

/**
 * Adds the plugin to an OpenCode config's `plugin` list (in the place of the predecessor's
 * `opencode-agent-tracker`, when that is there), or merges `options` into its entry (which keeps
 * its own spec: a pinned version, a local copy's path), and takes out every entry of the
 * predecessor's left beside it, with the smallest edits: every other character — comments,
 * indentation, line endings, trailing commas, a byte-order mark — stays where it was. New lines
 * take the indentation of their neighbours. The text must parse (check with `parseConfig` first).
 */
export function addPluginToConfig(text: string, options: Readonly<Record<string, unknown>>): ConfigEdit {
  const { mark, rest } = splitByteOrderMark(text)
  if (mark !== '') {
    const edit = addPluginToConfig(rest, options)
    return { ...edit, text: mark + edit.text }
  }
  const edit = editOurEntry(text, options)
  // Both loaded, the predecessor would write its own format at the database path this plugin uses.
  const { text: without, removed } = removePredecessorFromConfig(edit.text)
  return { ...edit, text: without, changes: [...edit.changes, ...removed.map((from): ConfigChange => ({ kind: 'predecessor-removed', from }))] }
}

/**
 * Takes every entry of the predecessor's plugin (`opencode-agent-tracker`, any version, with its
 * options) out of an OpenCode config's `plugin` list with the smallest edits, as
 * {@link removePluginFromConfig} takes this plugin's. `removed` holds each entry taken out, as JSON.
 * The text must parse (check with `parseConfig` first).
 */
export function removePredecessorFromConfig(text: string): { readonly text: string; readonly removed: readonly string[] } {
  const { mark, rest } = splitByteOrderMark(text)
  if (mark !== '') {
    const edit = removePredecessorFromConfig(rest)
    return { ...edit, text: mark + edit.text }
  }
  let edited = text
  const removed: string[] = []
  for (;;) {
    const list = pluginList(edited)
    const entry = list?.children?.find((child) => isPredecessorPluginEntry(getNodeValue(child)))
    if (list === undefined || entry === undefined) break
    removed.push(JSON.stringify(getNodeValue(entry)))
    edited = removeChild(edited, list, list.children?.indexOf(entry) ?? -1)
  }
  return { text: removed.length === 0 ? edited : withoutEmptyPluginList(edited), removed }
}

/** {@link addPluginToConfig} but for the predecessor's entries beside this plugin's. */
function editOurEntry(text: string, options: Readonly<Record<string, unknown>>): ConfigEdit {
  const layout = detectLayout(text)
  const root = parseTree(text, [], { allowTrailingComma: true })
  if (root?.type !== 'object') throw new Error('addPluginToConfig needs a config object')
  const list = findNodeAtLocation(root, ['plugin'])
  const withOptions = Object.keys(options).length > 0
  const entryText = withOptions ? `[${JSON.stringify(PLUGIN_NAME)}, ${inlineObject(options)}]` : JSON.stringify(PLUGIN_NAME)
  if (list === undefined) {
    return done(text, [appendChildren(text, root, [`"plugin": [${entryText}]`], layout)], [{ kind: 'plugin-added' }, ...added(options)], [])
  }
  const entry = list.children?.find((child) => isOurPluginEntry(getNodeValue(child)))
  // Not loaded yet, it takes the place of the predecessor's entry (any other of its entries goes after).
  const predecessor = entry === undefined ? list.children?.find((child) => isPredecessorPluginEntry(getNodeValue(child))) : undefined
  if (predecessor !== undefined) {
    const from = JSON.stringify(getNodeValue(predecessor))
    return done(text, [{ at: predecessor.offset, remove: predecessor.length, text: entryText }], [{ kind: 'plugin-replaced', from }, ...added(options)], [])
  }
  if (entry === undefined) return done(text, [appendChildren(text, list, [entryText], layout)], [{ kind: 'plugin-added' }, ...added(options)], [])
  if (entry.type !== 'array') {
    if (!withOptions) return done(text, [], [], [])
    // The entry's own spec stays as written — a pinned version, a local copy's path —, the options beside it.
    return done(text, [{ at: entry.offset, text: '[' }, { at: entry.offset + entry.length, text: `, ${inlineObject(options)}]` }], added(options), [])
  }
  const given = entry.children?.[1]
  if (given?.type !== 'object') {
    if (!withOptions) return done(text, [], [], [])
    const name = entry.children?.[0]
    const at = name === undefined ? entry.offset + 1 : name.offset + name.length
    return done(text, [{ at, text: `, ${inlineObject(options)}` }], added(options), [])
  }
  const existing = getNodeValue(given) as Record<string, unknown>
  const insertions: Insertion[] = []
  const changes: ConfigChange[] = []
  const newProperties: string[] = []
  for (const [option, value] of Object.entries(options)) {
    const property = findNodeAtLocation(given, [option])
    if (property === undefined) {
      newProperties.push(`${JSON.stringify(option)}: ${JSON.stringify(value)}`)
      changes.push({ kind: 'option-added', option, value })
    } else if (JSON.stringify(existing[option]) !== JSON.stringify(value)) {
      insertions.push({ at: property.offset, remove: property.length, text: JSON.stringify(value) })
      changes.push({ kind: 'option-changed', option, from: existing[option], to: value })
    }
  }
  if (newProperties.length > 0) insertions.push(appendChildren(text, given, newProperties, layout))
  return done(text, insertions, changes, Object.keys(existing).filter((option) => !(option in options)))
}

function done(text: string, insertions: readonly Insertion[], changes: readonly ConfigChange[], keptOptions: readonly string[]): ConfigEdit {
  let result = text
  for (const insertion of [...insertions].sort((a, b) => b.at - a.at)) {
    result = result.slice(0, insertion.at) + insertion.text + result.slice(insertion.at + (insertion.remove ?? 0))
  }
  return { text: result, changes, keptOptions }
}

function added(options: Readonly<Record<string, unknown>>): ConfigChange[] {
  return Object.entries(options).map(([option, value]) => ({ kind: 'option-added', option, value }))
}

/** `{ "a": 1, "b": "x" }`: the compact form a plugin entry's options take on one line. */
function inlineObject(value: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(value).map(([key, inner]) => `${JSON.stringify(key)}: ${JSON.stringify(inner)}`)
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`
}

/**
 * Adds children after the last child of an array or object — after its comma and its comment —
 * in the container's own style: on lines of their own with the last child's indentation when the
 * children are one per line (keeping a trailing comma if the file uses them), else inline.
 */
function appendChildren(text: string, container: Node, children: readonly string[], layout: Layout): Insertion {
  const last = container.children?.at(-1)
  const close = container.offset + container.length - 1
  const outer = indentOfLineAt(text, container.offset)
  const ownLines = (indent: string, trailing: boolean): string => children.map((child, index) => `${layout.eol}${indent}${child}${index < children.length - 1 || trailing ? ',' : ''}`).join('')
  if (last === undefined) {
    const inside = text.slice(container.offset + 1, close)
    if (inside.trim() !== '') return { at: container.offset + 1, text: ownLines(outer + layout.indent, true) }
    if (container.type === 'array' || !inside.includes('\n') && container.offset > 0) return { at: container.offset + 1, remove: inside.length, text: children.join(', ') }
    return { at: container.offset + 1, remove: inside.length, text: `${ownLines(outer + layout.indent, false)}${layout.eol}${outer}` }
  }
  const { end, comma } = endOfChildLine(text, last)
  const afterLast = last.offset + last.length
  if (!isMultiLine(text, container)) {
    return comma === undefined ? { at: afterLast, text: `, ${children.join(', ')}` } : { at: comma + 1, text: ` ${children.join(', ')}` }
  }
  const lines = ownLines(indentOfLineAt(text, last.offset), comma !== undefined)
  if (comma !== undefined) return { at: end, text: lines }
  // The comma goes right after the last child, before its comment; the new lines after the comment.
  return { at: afterLast, remove: end - afterLast, text: `,${text.slice(afterLast, end)}${lines}` }
}

/**
 * Takes every entry of the plugin (any version) out of an OpenCode config's `plugin` list with the
 * smallest edits: an entry on a line of its own goes with its line (and the comments on it); an
 * entry among others on one line goes with its comma. A list left empty goes too, with its line or
 * its comma, as `init` adds one where there was none (an empty list and none load the same
 * plugins); one left holding a comment stays, with the comment. Every other character (a
 * byte-order mark too) stays, and the text stays valid JSONC, whichever line an entry's comma is
 * on. `removed` is how many entries went. The text must parse (check with `parseConfig` first).
 */
export function removePluginFromConfig(text: string): { readonly text: string; readonly removed: number } {
  const { mark, rest } = splitByteOrderMark(text)
  if (mark !== '') {
    const edit = removePluginFromConfig(rest)
    return { ...edit, text: mark + edit.text }
  }
  let edited = text
  let removed = 0
  for (;;) {
    const list = pluginList(edited)
    const index = list?.children?.findIndex((child) => isOurPluginEntry(getNodeValue(child))) ?? -1
    if (list === undefined || index === -1) break
    edited = removeChild(edited, list, index)
    removed += 1
  }
  return { text: removed === 0 ? edited : withoutEmptyPluginList(edited), removed }
}

function pluginList(text: string): Node | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true })
  return root?.type === 'object' ? findNodeAtLocation(root, ['plugin']) : undefined
}

/** The config without its `plugin` list when that is empty: nothing but spaces between its brackets. */
function withoutEmptyPluginList(text: string): string {
  const list = pluginList(text)
  const property = list?.parent
  const root = property?.parent
  if (list?.type !== 'array' || property === undefined || root === undefined || (list.children?.length ?? 0) > 0) return text
  // A comment left in the list is the user's (a plugin put aside, a note): the list stays, with it.
  if (text.slice(list.offset + 1, list.offset + list.length - 1).trim() !== '') return text
  return removeChild(text, root, root.children?.indexOf(property) ?? -1)
}

/** The offset of the comma after a child, past spaces, line ends and comments; undefined when the container closes first. */
function commaAfter(text: string, child: Node): number | undefined {
  // After a value, outside any string: only spaces, comments, a comma or a closing bracket follow.
  let at = child.offset + child.length
  for (;;) {
    if (/\s/.test(text[at] ?? '')) at++
    else if (text.startsWith('//', at)) at = text.includes('\n', at) ? text.indexOf('\n', at) : text.length
    else if (text.startsWith('/*', at)) at = text.includes('*/', at + 2) ? text.indexOf('*/', at + 2) + 2 : text.length
    else return text[at] === ',' ? at : undefined
  }
}

/**
 * The text without the `index`th child of an array or object (its entry, or its property), by the
 * smallest edit that leaves the rest as it was and the text valid: the child with its line when it
 * is alone on it, else with its comma, wherever that is (after a comment, on the next line).
 */
function removeChild(text: string, container: Node, index: number): string {
  const children = container.children ?? []
  const entry = children[index]
  if (entry === undefined) return text
  const cut = (from: number, to: number): string => {
    // A line the cut leaves blank goes whole (a cut of whole lines, from a line's start, is left as it is).
    const lineStart = text.lastIndexOf('\n', from - 1) + 1
    let lineEnd = to
    while (text[lineEnd] === ' ' || text[lineEnd] === '\t' || text[lineEnd] === '\r') lineEnd++
    const blank = lineStart < from && text.slice(lineStart, from).trim() === '' && text[lineEnd] === '\n'
    return blank ? text.slice(0, lineStart) + text.slice(lineEnd + 1) : text.slice(0, from) + text.slice(to)
  }
  const afterEntry = entry.offset + entry.length
  const open = container.offset + 1
  const close = container.offset + container.length - 1
  // The only child, with nothing but spaces (and its own trailing comma) around it: `[]`, `{}`.
  if (children.length === 1 && text.slice(open, entry.offset).trim() === '' && /^[\s,]*$/.test(text.slice(afterEntry, close))) return cut(open, close)
  const { end, comma } = endOfChildLine(text, entry)
  const ownComma = commaAfter(text, entry)
  const lineStart = text.lastIndexOf('\n', entry.offset - 1) + 1
  // A block comment before the entry on its line (`/* ours */ "…"`) is the entry's: it goes too.
  // An entry whose comma is on a later line is not alone on its own.
  const aloneOnItsLine = text.slice(lineStart, entry.offset).replace(/\/\*.*?\*\//g, '').trim() === '' && /^\s*(\r?\n|$)/.test(text.slice(end)) && ownComma === comma
  const previous = children[index - 1]
  const isLast = index === children.length - 1
  if (aloneOnItsLine && isMultiLine(text, container) && (previous === undefined || text.slice(previous.offset + previous.length, lineStart).includes('\n'))) {
    const lineEnd = text.indexOf('\n', end)
    const line = cut(lineStart, lineEnd === -1 ? text.length : lineEnd + 1)
    // The last entry without a comma of its own leaves the one before it with a comma it never had.
    const previousComma = isLast && comma === undefined && previous !== undefined ? commaAfter(text, previous) : undefined
    return previousComma === undefined ? line : line.slice(0, previousComma) + line.slice(previousComma + 1)
  }
  if (ownComma !== undefined && !isLast) {
    // `ours, next` → `next`: the entry, its comma and the spaces after it; at a line's end, the
    // spaces before it instead (`a, ours,⏎` → `a,⏎`).
    let from = entry.offset
    let to = ownComma + 1
    while (text[to] === ' ' || text[to] === '\t') to++
    if (/^(\r?\n|$)/.test(text.slice(to))) {
      to = ownComma + 1
      while (from > open && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--
    }
    return cut(from, to)
  }
  // The last entry: `before, ours` → `before`, keeping a trailing comma (`before, ours,` → `before,`).
  if (previous === undefined) return cut(entry.offset, ownComma === undefined ? afterEntry : ownComma + 1)
  return cut(commaAfter(text, previous) ?? previous.offset + previous.length, ownComma ?? afterEntry)
}
