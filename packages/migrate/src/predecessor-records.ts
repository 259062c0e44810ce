import { createHash } from 'node:crypto'
import type { ActivityRecord, GradeEventRecord, MigrationRecord, ProjectProfile, ProjectRecord, RetrospectiveRecord } from '@agent-tracker/core'
import { projectName } from '@agent-tracker/core/store'
import type { LegacyTimeZone } from './legacy-time.js'
import { migrationId } from './migration-history.js'
import type { Fields } from './legacy-values.js'
import { IMPORTED_GRADE, asFields, checkedRecord, grade, number, optionalNumber, optionalText, text, timestamp } from './legacy-values.js'

/** Record shapes of the predecessor's central database (its src/types.ts), as ours. */

/**
 * A retrospective (`<agent>:<hash>` → `{commit, timestamp, task, agent_grade, user_grade,
 * score_before, score_after, agent_note, user_note}`), and the grade event its grades make (the
 * predecessor counted them in the score, as a grade does here). It recorded no project: the
 * commit's, when its commits or grade events know the hash, else none (`''`).
 */
export function retrospectiveFromPredecessor(setup: string, hash: string, value: unknown, projectOf: (hash: string) => string | undefined, zone: LegacyTimeZone): { retrospective: RetrospectiveRecord; gradeEvent: GradeEventRecord } {
  const fields = asFields(value, 'the retrospective')
  const commit = optionalText(fields, 'commit') ?? hash
  const at = timestamp(fields, 'timestamp', zone)
  const agentGrade = grade(fields, 'agent_grade')
  const userGrade = grade(fields, 'user_grade')
  const project = projectOf(commit) ?? ''
  const scores = scoresOf(fields)
  const task = optionalText(fields, 'task')
  const agentNote = optionalText(fields, 'agent_note')
  const userNote = optionalText(fields, 'user_note')
  return {
    retrospective: checkedRecord('retrospectives', {
      v: 1, setup, commit, project, at, updatedAt: at, agentGrade, userGrade, agentGradeChannel: 'import', userGradeChannel: 'import', ...scores,
      ...(task === undefined ? {} : { task }), ...(agentNote === undefined ? {} : { agentNote }), ...(userNote === undefined ? {} : { userNote }),
    }),
    gradeEvent: checkedRecord('gradeEvents', { v: 1, id: `legacy-retro-${commit}`, setup, project, commit, at, by: 'user', agentGrade, userGrade, ...IMPORTED_GRADE, ...scores }),
  }
}

/**
 * An activity (`<agent>:<timestamp>` → `{timestamp, task, actions, outcome, decisions}`); its id is
 * derived from the key, so importing it again finds it. The predecessor recorded no project.
 */
export function activityFromPredecessor(setup: string, key: string, value: unknown, zone: LegacyTimeZone): ActivityRecord {
  const fields = asFields(value, 'the activity')
  return checkedRecord('activities', {
    v: 1,
    id: `legacy-activity-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`,
    setup,
    project: '',
    at: timestamp(fields, 'timestamp', zone),
    task: text(fields, 'task'),
    actions: optionalText(fields, 'actions') ?? '',
    outcome: optionalText(fields, 'outcome') ?? '',
    decisions: optionalText(fields, 'decisions') ?? '',
  })
}

/**
 * A project profile (`<path>` → `{path, language, framework, scope, dependencies, manifestType,
 * classifiedAt, agentsmdHash}`) as a project record with its profile. The fingerprint is the
 * predecessor's, so the next look at the folder profiles it afresh.
 */
export function projectFromPredecessor(path: string, value: unknown, now: string): ProjectRecord {
  const fields = asFields(value, 'the project profile')
  const classifiedAt = optionalText(fields, 'classifiedAt') ?? now
  const manifest = optionalText(fields, 'manifestType')
  const agentsMdHash = optionalText(fields, 'agentsmdHash')
  const dependencies = Array.isArray(fields.dependencies) ? fields.dependencies.filter((item): item is string => typeof item === 'string').sort() : []
  const profile: ProjectProfile = {
    language: optionalText(fields, 'language') ?? 'unknown',
    framework: optionalText(fields, 'framework') ?? 'unknown',
    scope: optionalText(fields, 'scope') ?? 'unknown',
    dependencies,
    sources: [...(agentsMdHash === undefined ? [] : ['AGENTS.md']), ...(manifest === undefined || manifest === 'none' ? [] : [manifest])],
    fingerprint: `predecessor:${agentsMdHash ?? ''}:${manifest ?? ''}`,
    profiledAt: classifiedAt,
  }
  const where = optionalText(fields, 'path') ?? path
  return checkedRecord('projects', { v: 1, path: where, name: projectName(where), firstSeenAt: classifiedAt, lastSeenAt: classifiedAt, profile })
}

/**
 * A migration record of the predecessor (`<project folder>` → `{sourcePath, version, timestamp,
 * entriesMigrated}`): that folder's per-project database was migrated (and then deleted) by it.
 */
export function migrationFromPredecessor(folder: string, value: unknown, legacyPath: (folder: string) => string, zone: LegacyTimeZone): MigrationRecord {
  const fields = asFields(value, 'the migration record')
  const source = legacyPath(optionalText(fields, 'sourcePath') ?? folder)
  const version = optionalText(fields, 'version')
  return {
    id: migrationId('project-database', source),
    kind: 'project-database',
    source,
    at: timestamp(fields, 'timestamp', zone),
    migrated: Math.max(0, Math.round(number(fields, 'entriesMigrated', 0))),
    skipped: 0,
    errors: 0,
    migratedBy: `opencode-agent-tracker${version === undefined || version === 'unknown' ? '' : ` ${version}`}`,
  }
}

function scoresOf(fields: Fields): { scoreBefore?: number; scoreAfter?: number } {
  const scoreBefore = optionalNumber(fields, 'score_before')
  const scoreAfter = optionalNumber(fields, 'score_after')
  return { ...(scoreBefore === undefined ? {} : { scoreBefore }), ...(scoreAfter === undefined ? {} : { scoreAfter }) }
}
