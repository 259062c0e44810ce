/** A point to compare on two goals: lower cost and higher quality are better. */
export interface CostQualityPoint {
  readonly cost: number
  readonly quality: number
}

/**
 * The points no other point beats on both goals (at most the same cost and at least the same
 * quality, better on one): the choices worth considering. Cheapest first.
 */
export function paretoFront<P extends CostQualityPoint>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.quality - a.quality)
  const front: P[] = []
  let best = -Infinity
  for (const point of sorted) {
    if (point.quality > best) {
      front.push(point)
      best = point.quality
    }
  }
  return front
}
