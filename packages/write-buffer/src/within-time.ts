/**
 * What `work` gives when it settles within `ms`, else undefined. The timer keeps no process
 * alive, and is cleared as soon as the work settles.
 */
export async function withinTime<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined)
    }, ms)
    timer.unref()
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

/** True when `work` settles within `ms` (see {@link withinTime}). */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return (await withinTime(work.then(() => true as const), ms)) === true
}
