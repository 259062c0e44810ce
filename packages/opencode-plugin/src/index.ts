import type { PluginModule } from '@opencode-ai/plugin'
import { agentTrackerServer } from './plugin.js'

/**
 * The OpenCode plugin module: `{ id, server }` and nothing else, because OpenCode calls every
 * export of a module whose default export is not a plugin module. Typed as OpenCode's plugin
 * module, so that the published declarations name no package the plugin's bundle has built in.
 */
const plugin: PluginModule & { readonly id: string } = {
  id: 'agent-tracker',
  server: agentTrackerServer,
}
export default plugin
