import { urlPlaceholders } from '../agent/schema.ts';

// A webhook URL such as https://api.example.com/v1/accounts/{email} is filled from the model's
// arguments. Every value is URL-encoded whole, so "/", "?", "#", "@" and "%" stay inside the one
// segment: a value can never reach another path segment, the query or the host.

/** The URL template with its placeholders filled, and the arguments left for the query or body. */
export interface FilledUrl {
  template: string;
  rest: Record<string, unknown>;
}

/** Fills `{name}` placeholders from `args`; returns the problems instead when a value cannot go in a path. */
export function fillUrl(template: string, args: Record<string, unknown>): FilledUrl | { problems: string[] } {
  const names = urlPlaceholders(template);
  if (!names.length) return { template, rest: args };
  const problems: string[] = [];
  const values = new Map<string, string>();
  for (const name of names) {
    const v = Object.hasOwn(args, name) ? args[name] : undefined;
    if (v === undefined || v === null) problems.push(`missing "${name}" (it is part of the URL)`);
    else if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') problems.push(`"${name}" must be a string or number (it is part of the URL)`);
    // Empty, "." and ".." would change the path itself (a URL parser folds dot segments, even encoded ones).
    else if (/^(|\.|\.\.)$/.test(String(v).trim())) problems.push(`"${name}" cannot be empty, "." or ".." (it is part of the URL)`);
    else values.set(name, encodeURIComponent(String(v)));
  }
  if (problems.length) return { problems };
  const filled = template.replace(/(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => values.get(name) ?? '');
  const rest = Object.fromEntries(Object.entries(args).filter(([k]) => !values.has(k)));
  return { template: filled, rest };
}
