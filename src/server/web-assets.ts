import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The browser code (widget, dashboard) lives in web/ and is bundled by esbuild into dist/web/ at
// install time (scripts/setup.sh, `npm run build:web`). A server started from a checkout whose
// bundle is missing or older than its sources rebuilds it first, so an edit is never served stale.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_SRC = join(ROOT, 'web');
export const WEB_DIST = join(ROOT, 'dist', 'web');

/** One browser bundle: its entry in web/ and the file it becomes in dist/web/. */
interface Entry {
  entry: string;
  out: string;
  /** `iife` for the widget (a plain <script> on any site), `esm` for our own pages. */
  format: 'iife' | 'esm';
}

export const ENTRIES: Entry[] = [
  { entry: 'widget/index.ts', out: 'widget.js', format: 'iife' },
  { entry: 'dashboard/index.tsx', out: 'dashboard.js', format: 'esm' },
];

/** Bundles every entry whose source exists into dist/web/. */
export async function buildWeb(o: { minify?: boolean } = {}): Promise<string[]> {
  const { build } = await import('esbuild');
  mkdirSync(WEB_DIST, { recursive: true });
  const built: string[] = [];
  for (const e of ENTRIES) {
    const entry = join(WEB_SRC, e.entry);
    if (!existsSync(entry)) continue;
    await build({
      entryPoints: [entry],
      outfile: join(WEB_DIST, e.out),
      bundle: true,
      format: e.format,
      target: ['chrome110', 'firefox115', 'safari16'],
      minify: o.minify ?? true,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      loader: { '.css': 'text', '.svg': 'text' },
      legalComments: 'none',
      logLevel: 'error',
    });
    built.push(e.out);
  }
  return built;
}

/** Rebuilds when a bundle is missing or a web/ source is newer than it. */
export async function ensureWebBuilt(): Promise<void> {
  const newestSource = newest(WEB_SRC);
  const stale = ENTRIES.some((e) => existsSync(join(WEB_SRC, e.entry)) && (!existsSync(join(WEB_DIST, e.out)) || statSync(join(WEB_DIST, e.out)).mtimeMs < newestSource));
  if (stale) await buildWeb();
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
