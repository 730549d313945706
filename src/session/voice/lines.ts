// The fixed lines themselves, per language, are in ../fixed-lines.ts; this is what the voice session does with them.

/** `heard` without the filler line the session slipped into a reply (whole, or cut at its end). */
export function withoutFiller(heard: string, filler: string | undefined): string {
  const f = filler?.trim();
  if (!f) return heard;
  const i = heard.indexOf(f);
  if (i >= 0) return `${heard.slice(0, i)} ${heard.slice(i + f.length)}`.replace(/\s+/g, ' ').trim();
  for (let k = f.length - 1; k > 0; k--) if (heard.endsWith(f.slice(0, k))) return heard.slice(0, heard.length - k).trim();
  return heard;
}
