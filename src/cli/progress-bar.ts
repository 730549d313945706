/** Bytes so far, the total when known, and the speed. */
export interface Progress {
  received: number;
  total: number | undefined;
  bytesPerSecond?: number;
}

/** A download's progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise (logs, CI). */
export function progressBar(name: string): { update: (p: Progress) => void; done: () => void } {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  let drawn = false;
  return {
    update: (p) => {
      const share = p.total ? p.received / p.total : undefined;
      const speed = p.bytesPerSecond ? `  ${size(p.bytesPerSecond)}/s` : '';
      if (tty) {
        const width = 28;
        const filled = share === undefined ? 0 : Math.round(share * width);
        const pct = share === undefined ? '' : `${Math.floor(share * 100)}% `.padStart(5);
        process.stderr.write(`\r${name} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${pct}${size(p.received)}${p.total ? ` / ${size(p.total)}` : ''}${speed}   `);
        drawn = true;
        return;
      }
      const tenth = share === undefined ? Math.floor(p.received / 10e6) : Math.floor(share * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${name}: ${share === undefined ? '' : `${tenth * 10}% `}${size(p.received)}${p.total ? ` of ${size(p.total)}` : ''}${speed}\n`);
      }
    },
    done: () => {
      if (tty && drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

/** 1.2 GB, 35.0 MB. */
export const size = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);
