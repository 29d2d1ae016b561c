/**
 * A one-line progress display on stderr for long work (imports, training). On a terminal it
 * redraws in place; in a log file it prints at most one line per ten percent.
 */
import type { Writable } from 'node:stream';

export function createProgress(out: Writable & { isTTY?: boolean }, label: string) {
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(done: number, total: number, phase = label) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (out.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        out.write(`\r${phase} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${done}/${total})`);
        if (done >= total) out.write('\n');
        return;
      }
      const decile = Math.floor(pct / 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        out.write(`${phase}: ${pct}% (${done}/${total})\n`);
      }
    },
  };
}
