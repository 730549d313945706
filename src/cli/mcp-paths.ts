import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

// `parley mcp` serves one folder: the working directory it was started in. Every path a client
// sends is resolved against it and must stay inside — also through symbolic links — so a
// client cannot read, test or write anything else on the machine.

/** A path a client sent that leads outside the served folder, or is no path at all. */
export class PathRefused extends Error {
  override name = 'PathRefused';
}

const outside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
};

/** `path` resolved against `root`, refused when it (or the real place a link makes it) is outside `root`. */
export function resolveInside(root: string, path: string, what: string): string {
  if (!path.trim()) throw new PathRefused(`${what} is empty`);
  if (path.includes('\0')) throw new PathRefused(`${what} holds a NUL character`);
  const abs = resolve(root, path);
  if (outside(root, abs)) throw new PathRefused(`${what} "${path}" is outside the folder this server serves (${root}); give a path inside it`);
  // The nearest part that exists, with its links followed, must still be inside the real root.
  let probe = abs;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  if (outside(realpathSync(root), realpathSync(probe))) throw new PathRefused(`${what} "${path}" leads outside the folder this server serves (${root}) through a symbolic link`);
  return abs;
}
