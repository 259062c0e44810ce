/**
 * Makes a generator of fact ids that are unique across processes in practice: time, a random
 * part fixed per generator, and a counter. Hosts with `crypto.randomUUID` may pass that instead.
 */
export function createFactIdGenerator(random: () => number = Math.random): () => string {
  const origin = Math.floor(random() * 36 ** 8).toString(36).padStart(8, '0')
  let counter = 0
  return () => {
    counter += 1
    return `${Date.now().toString(36)}-${origin}-${counter.toString(36)}`
  }
}
