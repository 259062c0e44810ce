// The pending folder is every host's now (a tracker keeps there what it could not write at its exit): see node-host.
export type { WaitingFacts } from '@agent-tracker/node-host/pending-facts'
export { PendingFacts, pendingFolder, sessionFileName, waitingFacts } from '@agent-tracker/node-host/pending-facts'
