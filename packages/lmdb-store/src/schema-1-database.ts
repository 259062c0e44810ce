import type { CollectionName, CommitRecord, Fact, UsageRecord } from '@agent-tracker/core'
import { COLLECTIONS, resolveRules } from '@agent-tracker/core'
import { planFacts } from '@agent-tracker/core/store'
import { open } from 'lmdb'

/**
 * The sub-database of each collection, the commit index and meta, as release 0.1.0 (schema 1)
 * named them. Kept here, not taken from the store's layout, so that a later change there cannot
 * quietly change what "a database of the earlier release" means in the upgrade tests.
 */
type Schema1Collection = Exclude<CollectionName, 'evidence'>

const SCHEMA_1_NAMES: Readonly<Record<Schema1Collection, string>> = {
  setups: 'agents', projects: 'projects', commits: 'commits', retrospectives: 'retrospectives',
  gradeEvents: 'communication', bugs: 'bugs', activities: 'activities', usage: 'usage',
}

/** What goes into a schema-1 database: facts, applied as 0.1.0 applied them, and commits imported as it imported them. */
export interface Schema1Content {
  readonly facts: readonly Fact[]
  /** Commits written the way 0.1.0's `importRecords` wrote them: records and their index entry, no day rollup. */
  readonly importedCommits?: readonly CommitRecord[]
}

/**
 * Writes a database exactly as agent-tracker 0.1.0 did, in one transaction: its open options, its
 * sub-databases, lmdb-js's default encoding (every record carrying its own field names), the
 * `commits-by-setup` index, and day rollups without bugs and grades; meta holds schema version 1.
 * The records themselves come from today's planner, whose records for schema 1's collections are
 * the same but for the day rollups, which are cut back to 0.1.0's fields.
 */
export async function writeSchema1Database(path: string, content: Schema1Content): Promise<void> {
  const root = open({ path, noSubdir: true, maxDbs: 16, overlappingSync: false })
  const schema1 = COLLECTIONS.filter((c): c is Schema1Collection => c !== 'evidence')
  const tables = Object.fromEntries(schema1.map((c) => [c, root.openDB({ name: SCHEMA_1_NAMES[c] })])) as Record<Schema1Collection, ReturnType<typeof root.openDB>>
  const commitIndex = root.openDB({ name: 'commits-by-setup' })
  const meta = root.openDB({ name: 'meta' })
  root.transactionSync(() => {
    meta.putSync('schemaVersion', 1)
    const plan = planFacts({ get: () => undefined, claimFact: () => true, recordsSince: () => [] }, content.facts, resolveRules())
    for (const write of plan.writes) {
      if (write.collection === 'evidence') continue
      const record = write.collection === 'usage' ? schema1Rollup(write.record) : write.record
      tables[write.collection].putSync([...write.key], record)
      if (write.collection === 'commits') commitIndex.putSync([write.record.setup, write.record.at, write.record.project, write.record.hash], true)
    }
    for (const commit of content.importedCommits ?? []) {
      tables.commits.putSync([commit.project, commit.hash], commit)
      commitIndex.putSync([commit.setup, commit.at, commit.project, commit.hash], true)
    }
  })
  await root.close()
}

/** A day rollup as 0.1.0 stored it. */
function schema1Rollup(rollup: UsageRecord): unknown {
  const { setup, project, day, toolCalls, toolFailures, commands, commits, pushes, messages, tokens, cost } = rollup
  return { v: 1, setup, project, day, toolCalls, toolFailures, commands, commits, pushes, messages, tokens, cost }
}
