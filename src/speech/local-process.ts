import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// Local engines (flite, pocketsphinx) run as child processes. Each one is started in its own
// process group, so a pipeline behind `sh -c` (cat | pocketsphinx) dies with one kill, and
// an aborted turn leaves nothing running.

/** Full path of `name` found on PATH (or `name` itself when it is a path that exists), else null. */
export function findExecutable(name: string): string | null {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

/** A child process that leads its own process group; its stderr's last few KB are kept for error messages. */
export interface LocalProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once the process has exited and its pipes are closed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The tail of what it wrote to stderr. */
  stderr(): string;
  /** Kills the whole group at once (SIGKILL); harmless when it is already gone. */
  kill(): void;
}

const STDERR_KEEP = 4096;

/** Starts `command` in a new process group with piped stdio. */
export function startProcess(command: string, args: readonly string[]): LocalProcess {
  const child = spawn(command, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-STDERR_KEEP);
  });
  // A reader that goes away must not crash us with EPIPE; the exit status tells what happened.
  child.stdin.on('error', () => {});
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (err) => {
      running = false;
      stderr += `\n${err.message}`;
      resolve({ code: -1, signal: null });
    });
    child.on('close', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  return {
    child,
    exited,
    stderr: () => stderr.trim(),
    kill: () => {
      if (!running || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    },
  };
}
