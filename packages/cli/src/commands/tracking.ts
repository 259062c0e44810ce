import { randomUUID } from 'node:crypto'
import type { TrackerStore, TrackingService } from '@agent-tracker/core'
import { createTrackingService } from '@agent-tracker/core'

/** The tracking service over a store, with collision-free fact ids for this process. */
export function trackingService(store: TrackerStore): TrackingService {
  return createTrackingService({ store, newId: randomUUID })
}
