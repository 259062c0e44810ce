/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number

/**
 * A deterministic pseudo-random generator (mulberry32): the same seed gives the same sequence everywhere.
 * Its state is kept as a signed 32-bit integer (`| 0`), which has the same bits as the usual
 * unsigned one (`>>> 0`) and gives the same numbers — every use of it goes through 32-bit operations
 * — but stays a small integer to the engine: an unsigned state above 2³¹ is a heap number, and a
 * Monte Carlo that draws a million numbers would allocate one per draw.
 *
 * As an object, for loops that draw hundreds of thousands of numbers in a short-lived process:
 * the engine runs a method call on it inline as soon as it optimises the loop, while a closure
 * passed from function to function is called as one until each caller is optimised in turn.
 */
export class Mulberry32 {
  #state: number

  constructor(seed: number) {
    this.#state = seed | 0
  }

  /** The next uniform number in [0, 1). */
  next(): number {
    const state = (this.#state = (this.#state + 0x6d2b79f5) | 0)
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** {@link Mulberry32} as a function: the same sequence for the same seed. */
export function seededRandom(seed: number): RandomSource {
  const generator = new Mulberry32(seed)
  return () => generator.next()
}

/** A standard normal draw (Box–Muller). */
export function normalDraw(random: RandomSource): number {
  const u = 1 - random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/**
 * A Gamma(shape, 1) draw (Marsaglia and Tsang); 0 for a shape of 0. Their squeeze accepts most
 * draws without a logarithm; it accepts only draws the full test accepts, so the draws are the same.
 */
export function gammaDraw(random: RandomSource, shape: number): number {
  if (shape <= 0) return 0
  if (shape < 1) return gammaDraw(random, shape + 1) * (1 - random()) ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = normalDraw(random)
    const v = (1 + c * x) ** 3
    if (v <= 0) continue
    const u = 1 - random()
    const x2 = x * x
    if (u < 1 - 0.0331 * x2 * x2) return d * v
    if (Math.log(u) < 0.5 * x2 + d - d * v + d * Math.log(v)) return d * v
  }
}
