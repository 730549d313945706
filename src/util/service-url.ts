/** A service URL (database, Redis) fit for a log line or an error: its password shown as ***. */
export function withoutPassword(url: string | URL): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
