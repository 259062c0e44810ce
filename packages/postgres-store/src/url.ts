/**
 * A team database URL as it may be shown: its password, before the host (`postgres://me:secret@…`)
 * or as a `password` parameter (which `pg` reads too), and a client key's passphrase
 * (`sslpassword`), replaced by `***`; the rest as written. A
 * text that is no URL reads `(unparsable URL)`, so nothing of it is shown. Its own entry
 * (`@agent-tracker/postgres-store/url`) loads nothing else, for hosts that only name a URL.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    // Only the secret parameters change (the password, and a client key's passphrase): the rest of the query stays as it was written.
    return parsed.toString().replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1***')
  } catch {
    return '(unparsable URL)'
  }
}

/**
 * True when a team database URL carries a password: before the host (`postgres://me:secret@…`) or
 * as `?password=`, which `pg` reads too. Hosts refuse one in a settings file, a place for neither
 * credentials nor secrets: the password belongs in `PGPASSWORD` or `~/.pgpass`.
 */
export function urlHoldsPassword(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.password !== '' || parsed.searchParams.has('password')
  } catch {
    return false
  }
}
