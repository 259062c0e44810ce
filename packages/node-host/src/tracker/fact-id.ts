import { randomFillSync } from 'node:crypto'

/**
 * A new fact id: a UUID of version 7 — the time in milliseconds first, then random bits. Unique
 * across processes like any UUID, and in time order, so new ids land at the end of the store's
 * id index instead of all over it (a flush then writes a few index pages, not one per fact).
 */
export function timeOrderedId(now: number = Date.now()): string {
  const bytes = randomFillSync(new Uint8Array(16))
  for (let index = 5, time = now; index >= 0; index--, time = Math.floor(time / 256)) bytes[index] = time % 256
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Buffer.from(bytes).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
