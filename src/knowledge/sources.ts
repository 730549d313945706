import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { formatOfPath, type KnowledgeFormat } from './document.ts';
import { isUrlSource } from './url.ts';

/** A configured source: a path or URL, or a URL with a stand-in file and a refresh interval (agent.yaml's `knowledge.sources`). */
export type KnowledgeSource = string | { url: string; offline?: string; refreshMinutes?: number };

/** A URL source's stand-in file, read instead of the page where it cannot (or, in tests, must not) be fetched. */
export interface OfflineCopy {
  /** As configured, relative to the agent folder. */
  source: string;
  path: string;
  format: KnowledgeFormat;
}

/** One document to ingest: a file under the agent folder or a URL; `name` is what the store calls it. */
export type SourceRef = { kind: 'file'; name: string; path: string; format: KnowledgeFormat } | { kind: 'url'; name: string; offline?: OfflineCopy; refreshMinutes?: number };

/** The configured sources expanded into documents, with what could not be used. */
export interface ResolvedSources {
  refs: SourceRef[];
  /** Configured paths that do not exist or cannot be read, or files named explicitly in a format Parley cannot read. */
  failed: { source: string; message: string }[];
  /** Files found inside folders in a format Parley cannot read. */
  skipped: { source: string; reason: string }[];
}

/**
 * Expands the agent's `knowledge.sources` — files, folders (walked recursively, hidden entries
 * ignored) and URLs — into a sorted, de-duplicated list of documents named relative to `dir`.
 */
export async function resolveSources(dir: string, sources: readonly KnowledgeSource[], o: { signal?: AbortSignal } = {}): Promise<ResolvedSources> {
  const out: ResolvedSources = { refs: [], failed: [], skipped: [] };
  const root = resolve(dir);
  // A page's stand-in is indexed under the page's URL only, never a second time from its folder.
  const standIns = new Set(sources.flatMap((s) => (typeof s === 'object' && s.offline ? [resolve(root, s.offline)] : [])));
  const seen = new Set<string>();
  const add = (ref: SourceRef) => {
    if (seen.has(ref.name) || (ref.kind === 'file' && standIns.has(ref.path))) return;
    seen.add(ref.name);
    out.refs.push(ref);
  };
  for (const item of sources) {
    o.signal?.throwIfAborted();
    if (typeof item === 'object') {
      const path = item.offline === undefined ? undefined : resolve(root, item.offline);
      const format = path === undefined ? undefined : formatOfPath(path);
      if (path && !format) out.failed.push({ source: item.offline!, message: unsupported(path) });
      add({ kind: 'url', name: item.url, ...(path && format ? { offline: { source: item.offline!, path, format } } : {}), ...(item.refreshMinutes ? { refreshMinutes: item.refreshMinutes } : {}) });
      continue;
    }
    const entry = item;
    if (isUrlSource(entry)) {
      add({ kind: 'url', name: entry });
      continue;
    }
    const path = isAbsolute(entry) ? entry : resolve(root, entry);
    const name = nameOf(root, path);
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.failed.push({ source: entry, message: code === 'ENOENT' ? `no such file or folder: ${path}` : (e as Error).message });
      continue;
    }
    if (info.isDirectory()) {
      try {
        await walk(root, path, new Set(), add, out.skipped, o.signal);
      } catch (e) {
        if (o.signal?.aborted) throw e;
        out.failed.push({ source: entry, message: (e as Error).message });
      }
    } else {
      const format = formatOfPath(path);
      if (format) add({ kind: 'file', name, path, format });
      else out.failed.push({ source: name, message: unsupported(path) });
    }
  }
  out.refs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

async function walk(
  root: string,
  folder: string,
  visited: Set<string>,
  add: (ref: SourceRef) => void,
  skipped: ResolvedSources['skipped'],
  signal: AbortSignal | undefined,
): Promise<void> {
  const real = await realpath(folder);
  if (visited.has(real)) return; // a symlink loop
  visited.add(real);
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    signal?.throwIfAborted();
    if (entry.name.startsWith('.')) continue; // .DS_Store, .git, editor swap files
    const path = join(folder, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).catch(() => null))?.isDirectory());
    if (isDir) {
      await walk(root, path, visited, add, skipped, signal);
      continue;
    }
    const format = formatOfPath(entry.name);
    if (format) add({ kind: 'file', name: nameOf(root, path), path, format });
    else skipped.push({ source: nameOf(root, path), reason: unsupported(entry.name) });
  }
}

/** A file's name in the store: relative to the agent folder, with forward slashes on every system. */
function nameOf(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

function unsupported(path: string): string {
  const ext = /\.[^./\\]+$/.exec(path)?.[0];
  return `${ext ? `${ext} files are` : 'files without an extension are'} not supported (use .md, .txt, .html, .pdf)`;
}
