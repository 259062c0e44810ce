import { agentTrackerServer } from './plugin.js'

/**
 * The OpenCode plugin module: `{ id, server }` and nothing else, because OpenCode calls every
 * export of a module whose default export is not a plugin module.
 */
export default {
  id: 'agent-tracker',
  server: agentTrackerServer,
}
