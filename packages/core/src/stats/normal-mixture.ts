import { normalCdf } from './normal.js'

/** One normal component of a mixture: its weight (the weights of a mixture sum to 1), mean and variance. */
export interface NormalComponent {
  readonly weight: number
  readonly mean: number
  readonly variance: number
}

/** A finite mixture of normal distributions, e.g. a posterior integrated over a grid of a hyperparameter. */
export type NormalMixture = readonly NormalComponent[]

/** The mean of a mixture. */
export function mixtureMean(mixture: NormalMixture): number {
  return mixture.reduce((sum, c) => sum + c.weight * c.mean, 0)
}

/** P(X ≤ x) for X drawn from the mixture. */
export function mixtureCdf(mixture: NormalMixture, x: number): number {
  return mixture.reduce((sum, c) => sum + c.weight * (c.variance <= 0 ? Number(x >= c.mean) : normalCdf((x - c.mean) / Math.sqrt(c.variance))), 0)
}

/** The p-quantile of a mixture, by bisection to within 1e-5 of its standard deviation. */
export function mixtureQuantile(mixture: NormalMixture, p: number): number {
  const weight = mixture.reduce((sum, c) => sum + c.weight, 0)
  const mean = mixtureMean(mixture) / weight
  const sd = Math.sqrt(mixture.reduce((sum, c) => sum + c.weight * (c.variance + (c.mean - mean) ** 2), 0) / weight)
  // No mixture puts more than 1/k² of its mass beyond k standard deviations (Chebyshev).
  const reach = sd * Math.sqrt(1 / Math.min(p, 1 - p)) + 1e-12
  let low = mean - reach
  let high = mean + reach
  const precision = sd * 1e-5
  while (high - low > precision) {
    const middle = (low + high) / 2
    if (mixtureCdf(mixture, middle) < p) low = middle
    else high = middle
  }
  return (low + high) / 2
}

/** The central credible interval holding `level` of the mixture's mass. */
export function mixtureInterval(mixture: NormalMixture, level: number): readonly [number, number] {
  return [mixtureQuantile(mixture, (1 - level) / 2), mixtureQuantile(mixture, (1 + level) / 2)]
}
