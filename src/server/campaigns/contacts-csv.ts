import { variablesUsed } from '../../agent/variables.ts';
import type { Agent } from '../../agent/load.ts';
import type { NewContact } from '../../store/campaigns.ts';
import { readNumber } from './phone-zone.ts';

// A campaign's contact list, from CSV (RFC 4180: a header row, commas, "quoted" fields with ""
// for a quote and line breaks inside). A `phone` column (or number, phone_number, mobile, tel) is
// required; `name` and `timezone` are optional; every other column is a variable for the agent's
// {{placeholders}}. Nothing is imported unless every row is good: each problem names its line.

const PHONE_COLUMNS = ['phone', 'number', 'phone_number', 'mobile', 'tel', 'telephone'];
const ZONE_COLUMNS = ['timezone', 'time_zone', 'tz'];
export const MAX_CONTACTS = 100_000;

/** Rows of a CSV text; each row's first line number kept for messages. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === '') (quoted = true), (cell = '');
    else if (ch === ',') cells.push(cell), (cell = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      rowLine = ++line;
    } else cell += ch;
  }
  if (quoted) throw new Error(`line ${rowLine}: a quoted field is never closed`);
  cells.push(cell);
  if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
  return rows;
}

/** A header as a variable name: "First Name" → first_name. */
export function columnName(header: string): string {
  return header.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Reads the contacts; `problems` lists every bad row (and missing variables), and then `contacts` must not be used. */
export function readContacts(text: string, o: { agent?: Agent; defaultCountry?: string } = {}): { contacts: NewContact[]; problems: string[]; columns: string[] } {
  const problems: string[] = [];
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (e) {
    return { contacts: [], problems: [(e as Error).message], columns: [] };
  }
  const header = rows.shift();
  if (!header) return { contacts: [], problems: ['the file is empty: it needs a header row with a phone column, then one row per contact'], columns: [] };
  const columns = header.cells.map(columnName);
  const phoneAt = columns.findIndex((c) => PHONE_COLUMNS.includes(c));
  if (phoneAt < 0) return { contacts: [], problems: [`line ${header.line}: no phone column in the header (${header.cells.join(', ')}); name one of: ${PHONE_COLUMNS.join(', ')}`], columns };
  const nameAt = columns.indexOf('name');
  const zoneAt = columns.findIndex((c) => ZONE_COLUMNS.includes(c));
  if (rows.length > MAX_CONTACTS) problems.push(`${rows.length} contacts: at most ${MAX_CONTACTS} per campaign`);
  const seen = new Map<string, number>();
  const contacts: NewContact[] = [];
  for (const row of rows.slice(0, MAX_CONTACTS)) {
    if (row.cells.length > columns.length) {
      problems.push(`line ${row.line}: ${row.cells.length} fields but the header has ${columns.length}`);
      continue;
    }
    let number;
    try {
      number = readNumber(row.cells[phoneAt] ?? '', o.defaultCountry);
    } catch (e) {
      problems.push(`line ${row.line}: ${(e as Error).message}`);
      continue;
    }
    const earlier = seen.get(number.e164);
    if (earlier) {
      problems.push(`line ${row.line}: ${number.e164} is already on line ${earlier}`);
      continue;
    }
    seen.set(number.e164, row.line);
    let timeZone = number.timeZone;
    const zone = zoneAt >= 0 ? row.cells[zoneAt]?.trim() : '';
    if (zone) {
      if (!isTimeZone(zone)) {
        problems.push(`line ${row.line}: "${zone}" is not an IANA time zone (e.g. America/Chicago)`);
        continue;
      }
      timeZone = zone;
    }
    const variables: Record<string, string> = {};
    columns.forEach((c, i) => {
      if (c && i !== phoneAt && i !== zoneAt) variables[c] = (row.cells[i] ?? '').trim();
    });
    variables.phone = number.e164;
    contacts.push({ row: row.line, phone: number.e164, name: nameAt >= 0 ? row.cells[nameAt]?.trim() || null : null, timeZone, variables });
  }
  if (!contacts.length && !problems.length) problems.push('the file has a header but no contacts');
  if (o.agent) problems.push(...missingVariables(o.agent, new Set([...columns, 'phone'])));
  return { contacts, problems, columns };
}

/** Placeholders without a fallback that the file has no column for. */
function missingVariables(agent: Agent, columns: Set<string>): string[] {
  const texts: [string, string][] = [
    ['persona.firstMessage', agent.config.persona.firstMessage],
    ['the persona prompt', agent.prompt],
    ['outbound.voicemailMessage', agent.config.outbound.voicemailMessage ?? ''],
  ];
  const out: string[] = [];
  for (const [where, text] of texts) {
    for (const v of variablesUsed(text)) {
      if (!v.fallback && !columns.has(v.name)) out.push(`${where} uses {{${v.name}}}, and the file has no ${v.name} column (add it, or write {{${v.name}|…}} with a fallback)`);
    }
  }
  return [...new Set(out)];
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
