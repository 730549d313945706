import { Temporal } from 'temporal-polyfill';

// Time-zone names as callers say them ("Eastern", "London", "UTC+2", IANA ids), for when.ts.

/** A phrase that could not be understood, with what the model should ask instead. */
type WhenError = { error: string };

/** Zone names callers use beyond the city names in the IANA database; US and EU names follow DST. */
const ZONE_NAMES: Record<string, string> = {
  ...names('America/New_York', 'eastern, us eastern, et, est, edt, new york city, nyc, boston, washington, miami, atlanta, philadelphia'),
  ...names('America/Chicago', 'central, us central, ct, cst, cdt, dallas, houston, austin'),
  ...names('America/Denver', 'mountain, mt, mst, mdt'),
  ...names('America/Los_Angeles', 'pacific, pt, pst, pdt, san francisco, seattle, san diego, silicon valley, california'),
  ...names('Europe/Berlin', 'central european, cet, cest, germany, munich, frankfurt, hamburg'),
  ...names('Europe/Helsinki', 'eastern european, eet, eest'),
  ...names('Europe/London', 'british, bst, uk, britain, england, manchester, edinburgh'),
  ...names('Europe/Warsaw', 'poland, krakow, cracow, wroclaw, gdansk, poznan'),
  ...names('Europe/Paris', 'france'),
  ...names('Europe/Madrid', 'spain, barcelona'),
  ...names('Europe/Rome', 'italy, milan'),
  ...names('Europe/Amsterdam', 'netherlands, holland'),
  ...names('Europe/Kyiv', 'kyiv, kiev, ukraine'),
  ...names('Asia/Kolkata', 'india, kolkata, mumbai, delhi, new delhi, bangalore, bengaluru'),
  ...names('Asia/Shanghai', 'china, beijing'),
  ...names('Asia/Tokyo', 'japan, jst'),
  ...names('Australia/Sydney', 'aest, aedt'),
  ...names('UTC', 'gmt, utc, zulu, coordinated universal'),
};

function names(zone: string, list: string): Record<string, string> {
  return Object.fromEntries(list.split(', ').map((name) => [name, zone]));
}

/** IANA city names that are also everyday words in a sentence about time. */
const NOT_CITIES = new Set(['easter', 'christmas', 'midway', 'wake', 'stanley', 'center', 'reunion', 'resolute', 'darwin', 'oral']);
let namedZones: RegExp | undefined;
const byName = new Map<string, string>();

function zoneNameMatcher(): RegExp {
  if (namedZones) return namedZones;
  for (const id of Intl.supportedValuesOf('timeZone')) {
    if (/^(?:Antarctica|Etc)\//.test(id) || !id.includes('/')) continue;
    const city = id.split('/').at(-1)!.toLowerCase().replace(/_/g, ' ');
    if (!NOT_CITIES.has(city) && !byName.has(city)) byName.set(city, id);
  }
  for (const [name, id] of Object.entries(ZONE_NAMES)) byName.set(name, id);
  const alternatives = [...byName.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'));
  namedZones = new RegExp(`(?:\\bin\\s+)?\\b(${alternatives.join('|')})(?:\\s+(?:standard|daylight))?(?:\\s+time(?:\\s?zone)?)?\\b`);
  return namedZones;
}

/** The canonical id Temporal uses for a zone, or undefined when it is not a zone. */
export function canonicalZone(id: string): string | undefined {
  try {
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(id).timeZoneId;
  } catch {
    return undefined;
  }
}

/** The zone named in already-normalized text ("3pm new york time", "utc+2"), with the words removed. */
export function findTimeZone(text: string): { zone: string; rest: string } | WhenError | undefined {
  let s = text;
  const zones: string[] = [];
  const cut = (m: RegExpExecArray): void => void (s = `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`);
  for (let guard = 0; guard < 3; guard++) {
    let m = /(?:\bin\s+)?\b(?:gmt|utc)\s*(\+|-|plus|minus)\s*(\d{1,2})(?::?(\d{2}))?(?:\s+time)?(?![\d:])/.exec(s);
    if (m) {
      const [h, min] = [Number(m[2]), Number(m[3] ?? 0)];
      if (h > 14 || min > 59) return { error: `"${m[0].trim()}" is not a time zone. Ask the caller which city they are in.` };
      const sign = m[1] === '-' || m[1] === 'minus' ? '-' : '+';
      zones.push(h || min ? `${sign}${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` : 'UTC');
      cut(m);
      continue;
    }
    m = /(?:\bin\s+)?\b([a-z]+(?:\/[a-z0-9_+-]+)+)(?:\s+time)?\b/.exec(s);
    const iana = m && canonicalZone(m[1]);
    if (m && iana) {
      zones.push(iana);
      cut(m);
      continue;
    }
    m = zoneNameMatcher().exec(s);
    if (!m) break;
    zones.push(byName.get(m[1])!);
    cut(m);
  }
  const distinct = [...new Set(zones)];
  if (distinct.length > 1) return { error: `The phrase names more than one time zone (${distinct.join(', ')}). Ask the caller which one they mean.` };
  return distinct.length ? { zone: distinct[0], rest: s } : undefined;
}

/** How a zone is named aloud: "Warsaw", "New York", "UTC", "UTC+2". */
export function zoneLabel(zone: string): string {
  if (/^(?:UTC|Etc\/UTC|GMT|Etc\/GMT)$/i.test(zone)) return 'UTC';
  const offset = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (offset) return `UTC${offset[1]}${Number(offset[2])}${offset[3] === '00' ? '' : `:${offset[3]}`}`;
  return zone.split('/').at(-1)!.replace(/_/g, ' ');
}
