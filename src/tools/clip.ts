// Network tools answer whatever they like, sometimes megabytes: the model reads a few thousand
// characters of it (more costs tokens and confuses it), the record keeps more, never all.

/** Most characters of a tool's answer the model reads. */
export const MAX_RESULT_CHARS = 4000;
/** Most characters of a tool's raw answer the record keeps. */
export const MAX_RECORDED_CHARS = 64 * 1024;

/** The value as is when its JSON fits in `max` characters, else its text cut there with a note of what was left out. */
export function clip(value: unknown, max: number): unknown {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined || text.length <= max) return value;
  return `${text.slice(0, max)}… [${text.length - max} more characters]`;
}
