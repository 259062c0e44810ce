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
