/** Trust tier by skill points: Probation (0–1) … Expert (10+). */
export type TrustTier = 'Probation' | 'Junior' | 'Established' | 'Senior' | 'Expert'

/** Communication tier by communication score: Broken (0) … God-mode (100+). */
export type CommunicationTier =
  | 'Broken'
  | 'Breaking point'
  | 'Critical'
  | 'Declining'
  | 'Neutral'
  | 'Strong'
  | 'God-mode'

const TRUST_TIERS: readonly (readonly [number, TrustTier])[] = [
  [10, 'Expert'],
  [7, 'Senior'],
  [4, 'Established'],
  [2, 'Junior'],
]

const COMMUNICATION_TIERS: readonly (readonly [number, CommunicationTier])[] = [
  [100, 'God-mode'],
  [80, 'Strong'],
  [60, 'Neutral'],
  [40, 'Declining'],
  [20, 'Critical'],
]

/** The trust tier for the given skill points. */
export function trustTier(skillPoints: number): TrustTier {
  return TRUST_TIERS.find(([floor]) => skillPoints >= floor)?.[1] ?? 'Probation'
}

/** The communication tier for the given communication score. */
export function communicationTier(score: number): CommunicationTier {
  const tier = COMMUNICATION_TIERS.find(([floor]) => score >= floor)?.[1]
  if (tier !== undefined) return tier
  return score > 0 ? 'Breaking point' : 'Broken'
}
