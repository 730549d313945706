import { readdirSync, readFileSync } from 'node:fs';

// What a speech provider may leave behind after abort: child processes (and their children,
// which outlive a killed shell) and open sockets. Linux /proc; elsewhere the process checks see nothing.

/** Pids of every live process below `pid` (children, grandchildren, …). */
export function descendants(pid = process.pid): number[] {
  const parents = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  for (const e of entries) {
    const stat = readStat(Number(e));
    if (!stat || stat.state === 'Z') continue;
    const list = parents.get(stat.ppid) ?? [];
    list.push(Number(e));
    parents.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of parents.get(queue.shift() as number) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** Whether `pid` is still running (a zombie waiting to be reaped counts as gone). */
export function alive(pid: number): boolean {
  const stat = readStat(pid);
  return !!stat && stat.state !== 'Z';
}

/** Active sockets and child-process handles of this process, by kind. */
export function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (/^(TCPSocketWrap|TLSWrap|ProcessWrap|PipeWrap|UDPWrap)$/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Handles in `now` beyond those in `before`, e.g. ["TCPSocketWrap ×1"]. */
export function extraHandles(before: Record<string, number>, now = openHandles()): string[] {
  return Object.entries(now)
    .filter(([kind, n]) => n > (before[kind] ?? 0))
    .map(([kind, n]) => `${kind} ×${n - (before[kind] ?? 0)}`);
}

/**
 * Waits until `check` returns nothing (an empty list), for at most `withinMs`; returns what was
 * still left. Closing a socket or reaping a process finishes on a later event-loop turn, so a
 * check straight after abort would be flaky; this waits for that, not for time to pass.
 */
export async function settled(check: () => string[], withinMs = 1000): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  let left = check();
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    left = check();
  }
  return left;
}

function readStat(pid: number): { state: string; ppid: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]) };
  } catch {
    return null;
  }
}
