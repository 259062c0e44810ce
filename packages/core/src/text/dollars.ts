/**
 * An amount of US dollars to `places` decimals — `$12.34` spent, `$0.084` per commit, as every app
 * shows them. An amount that rounds to nothing but is not nothing reads `<$0.01` (`<$0.001`): the
 * few cents of a cheap model must not read as free.
 */
export function dollars(value: number, places: number): string {
  const smallest = 10 ** -places
  if (value > 0 && value < smallest / 2) return `<$${smallest.toFixed(places)}`
  return `$${value.toFixed(places)}`
}
