// Checks the grounding evaluation set (bench/grounding/questions.yaml): every entry is well
// formed, every `contains` phrase is found verbatim (case-insensitive, whitespace-normalised)
// in the visible text of its source file, and each base has enough questions of each kind.
// Prints counts per base and kind; exits 1 on any problem.
// Run: node_modules/.bin/node bench/grounding/check-set.ts
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { extractText } from 'unpdf';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** Where each base's documents are. */
export const BASES: Record<string, string> = {
  studio: join(root, 'examples/sales-booking/knowledge'),
  dental: join(here, 'bases/dental'),
  software: join(here, 'bases/software'),
};

/** Minimum number of questions of each kind, per base. */
const MIN_PER_BASE = { total: 55, answerable: 30, followup: 5, none: 10, chat: 5 };
const MIN_TOTAL = 180;

type Kind = 'answerable' | 'followup' | 'none' | 'chat';
interface Answer { source: string; contains: string }
interface Entry { base: string; q: string; after?: string | string[]; answers?: Answer[] | 'none'; kind?: 'chat' }

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', rsaquo: '›', lsaquo: '‹', mdash: '—', ndash: '–', pound: '£', euro: '€' };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Visible text of an HTML page: no head, scripts, styles or tags. */
function htmlText(html: string): string {
  return decode(
    html
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(head|script|style|noscript|template)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' '),
  );
}

/** Markdown as text: emphasis, code and link markup removed, table pipes left (phrases stay inside one cell). */
function markdownText(md: string): string {
  return md.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\*\*|__|`/g, '');
}

export function normalise(s: string): string {
  return s.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ').trim();
}

const texts = new Map<string, string>();
async function sourceText(base: string, source: string): Promise<string | undefined> {
  const path = join(BASES[base], source);
  if (texts.has(path)) return texts.get(path);
  if (!existsSync(path)) return undefined;
  let text: string;
  if (source.endsWith('.pdf')) {
    const { text: t } = await extractText(new Uint8Array(readFileSync(path)), { mergePages: true });
    text = t;
  } else if (/\.html?$/.test(source)) text = htmlText(readFileSync(path, 'utf8'));
  else text = markdownText(readFileSync(path, 'utf8'));
  texts.set(path, normalise(text));
  return texts.get(path);
}

function kindOf(e: Entry): Kind {
  if (e.kind === 'chat') return 'chat';
  if (e.after !== undefined) return 'followup';
  return e.answers === 'none' ? 'none' : 'answerable';
}

async function main() {
  const file = join(here, 'questions.yaml');
  const entries = parse(readFileSync(file, 'utf8')) as Entry[];
  const problems: string[] = [];
  const counts: Record<string, Record<Kind | 'total' | 'followupNone', number>> = {};
  const seen = new Set<string>();

  for (const [i, e] of entries.entries()) {
    const at = `#${i + 1} (${e?.base}: "${e?.q}")`;
    if (!e || typeof e !== 'object') { problems.push(`#${i + 1}: not a mapping`); continue; }
    if (!(e.base in BASES)) problems.push(`${at}: unknown base`);
    if (typeof e.q !== 'string' || !e.q.trim()) { problems.push(`${at}: q missing`); continue; }
    if (!/^[a-z0-9' ]+$/.test(e.q)) problems.push(`${at}: q must be lower case without punctuation`);
    const key = `${e.base}|${e.after ?? ''}|${e.q}`;
    if (seen.has(key)) problems.push(`${at}: duplicate`);
    seen.add(key);
    const unknown = Object.keys(e).filter((k) => !['base', 'q', 'after', 'answers', 'kind'].includes(k));
    if (unknown.length) problems.push(`${at}: unknown fields ${unknown.join(', ')}`);
    if (e.after !== undefined) {
      const turns = Array.isArray(e.after) ? e.after : [e.after];
      if (!turns.length || turns.some((t) => typeof t !== 'string' || !/^[a-z0-9' ]+$/.test(t))) problems.push(`${at}: after must be caller turns (lower case, no punctuation)`);
    }
    if (e.kind !== undefined && e.kind !== 'chat') problems.push(`${at}: kind must be chat`);
    if (e.kind === 'chat') {
      if (e.answers !== undefined) problems.push(`${at}: a chat entry has no answers`);
    } else if (e.answers === 'none') {
      // not in the documents
    } else if (!Array.isArray(e.answers) || e.answers.length === 0) {
      problems.push(`${at}: answers must be a list of { source, contains } or none`);
    } else {
      for (const a of e.answers) {
        if (!a || typeof a.source !== 'string' || typeof a.contains !== 'string') { problems.push(`${at}: bad answer ${JSON.stringify(a)}`); continue; }
        const words = a.contains.trim().split(/\s+/).length;
        if (words < 3 || words > 8) problems.push(`${at}: phrase "${a.contains}" has ${words} words (3-8)`);
        const text = await sourceText(e.base, a.source);
        if (text === undefined) problems.push(`${at}: no file ${a.source} in ${e.base}`);
        else if (!text.includes(normalise(a.contains))) problems.push(`${at}: "${a.contains}" not found in ${e.base}/${a.source}`);
      }
    }
    const c = (counts[e.base] ??= { total: 0, answerable: 0, followup: 0, none: 0, chat: 0, followupNone: 0 });
    c.total++;
    c[kindOf(e)]++;
    if (kindOf(e) === 'followup' && e.answers === 'none') c.followupNone++;
  }

  const kinds = ['answerable', 'followup', 'none', 'chat'] as const;
  const row = (name: string, c: Record<string, number>) =>
    `${name.padEnd(10)}${String(c.total).padStart(6)}${kinds.map((k) => String(c[k]).padStart(12)).join('')}   (${c.followupNone} follow-ups not answered)`;
  console.log(`${'base'.padEnd(10)}${'total'.padStart(6)}${kinds.map((k) => k.padStart(12)).join('')}`);
  const sum: Record<string, number> = { total: 0, answerable: 0, followup: 0, none: 0, chat: 0, followupNone: 0 };
  for (const base of Object.keys(BASES)) {
    const c = counts[base] ?? { total: 0, answerable: 0, followup: 0, none: 0, chat: 0, followupNone: 0 };
    console.log(row(base, c));
    for (const k of Object.keys(sum)) sum[k] += c[k as keyof typeof c];
    for (const [k, min] of Object.entries(MIN_PER_BASE)) {
      if (c[k as keyof typeof c] < min) problems.push(`${base}: ${c[k as keyof typeof c]} ${k}, at least ${min} needed`);
    }
  }
  console.log(row('all', sum));
  if (sum.total < MIN_TOTAL) problems.push(`${sum.total} questions in all, at least ${MIN_TOTAL} needed`);

  if (problems.length) {
    console.error(`\n${problems.length} problem(s):`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log('\nok: every phrase found, every minimum met');
}

await main();
