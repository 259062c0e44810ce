const DAY_MS = 86_400_000

/** A `YYYY-MM-DD` day as days since 1970-01-01 (UTC): what the project days and outcome days store, a number decoding in a fraction of the time of a date's text. */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00.000Z`) / DAY_MS)
}

/**
 * Days since 1970-01-01 as `YYYY-MM-DD`, each worked out once per process: a project list or a
 * recommendation reads the days of every project, and they are a few hundred or thousand dates
 * (one per day worked, whatever the number of projects and setups).
 */
class DayTexts {
  readonly #known = new Map<number, string>()

  of(day: number): string {
    let text = this.#known.get(day)
    if (text === undefined) {
      text = new Date(day * DAY_MS).toISOString().slice(0, 10)
      this.#known.set(day, text)
    }
    return text
  }
}

/** The process's day texts (see `DayTexts`). */
export const DAY_TEXTS = new DayTexts()
