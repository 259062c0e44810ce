import { createRequire } from 'node:module'

/**
 * This process's peak resident memory, in MB, since it began running its program: the kernel's
 * figure for the running image where there is one (see `children/peak-rss.cjs`, which the
 * preload measuring the binary shares).
 */
export const peakRssMb = (createRequire(import.meta.url)('../children/peak-rss.cjs') as { peakRssMb: () => number }).peakRssMb
