/**
 * The standard normal distribution function Φ(x), to about 1e-7 (the complementary error
 * function by a Chebyshev fit, as in Numerical Recipes' `erfcc`).
 */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1
  if (x === -Infinity) return 0
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.5 * z)
  const tail = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
  return x >= 0 ? 1 - tail / 2 : tail / 2
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]

/**
 * The quantile Φ⁻¹(p) of the standard normal distribution (Acklam's rational approximation,
 * relative error below 1.2e-9).
 * @throws {RangeError} when p is not strictly between 0 and 1.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`A normal quantile needs a probability strictly between 0 and 1, got ${String(p)}.`)
  const poly = (c: readonly number[], x: number): number => c.reduce((sum, k) => sum * x + k, 0)
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return poly(C, q) / (poly(D, q) * q + 1)
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    return -poly(C, q) / (poly(D, q) * q + 1)
  }
  const q = p - 0.5
  const r = q * q
  return (poly(A, r) * q) / (poly(B, r) * r + 1)
}
