'use strict'
const { readFileSync } = require('node:fs')

/**
 * This process's peak resident memory, in MB, since it began running its program. Linux's
 * `getrusage` maxrss (what `process.resourceUsage().maxRSS` reports) keeps the high-water mark of
 * the process image it replaced: a child the bench spawns starts as a copy of the bench, so a
 * command that used 60 MB reported the bench's 95 MB, or more. The kernel's figure for the running
 * image (VmHWM) is read instead where there is one.
 * @returns {number}
 */
function peakRssMb() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    if (hwm !== undefined) return Number(hwm) / 1024
  } catch {
    // No /proc (macOS, Windows): getrusage's figure, which there is the process's own.
  }
  return process.resourceUsage().maxRSS / 1024
}

module.exports = { peakRssMb }
