// The conversations list pages by (start time, id), newest first: a cursor is the last row's pair,
// base64url JSON, so new conversations never shift a page.

/** The cursor after a row. */
export function encodeCursor(c: { startedAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([c.startedAt, c.id])).toString('base64url');
}

/** The row a cursor points after; RangeError when it is not one of ours. */
export function decodeCursor(cursor: string): { startedAt: string; id: string } {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startedAt === 'string' && typeof id === 'string') return { startedAt, id };
  } catch {
    // fall through to the error below
  }
  throw new RangeError('malformed cursor');
}
