// Drill 6: the file outbox's disk fills up. MAIL_TRANSPORT=file writes to a
// small tmpfs; mid-run a filler takes every free byte (writes fail ENOSPC),
// then is deleted: sending must fail transiently (no firm suspended) and resume.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NOTICES, sleep, Stack } from './harness.ts';
import { outcome, type Drill, type Outcome } from './drill.ts';

/** Holds ~1,100 .eml files of a few KB: the confirmations and 1,000 alerts. */
const SIZE = '16m';
const FULL_MS = 10_000;

/** Appends 64 KB, then ever smaller blocks, down to a byte, until nothing more fits (ENOSPC). */
function fill(file: string) {
  for (let n = 65_536; n >= 1; n = Math.floor(n / 2)) {
    try {
      for (;;) appendFileSync(file, Buffer.alloc(n, 1));
    } catch {
      // this size no longer fits: try a smaller one
    }
  }
}

export const diskFull: Drill = {
  name: 'disk-full',
  what: `the file outbox (a ${SIZE} tmpfs) full for ${FULL_MS / 1000} s mid-run, then space freed`,
  async run(): Promise<Outcome> {
    const mount = mkdtempSync('/tmp/drills-disk-full-mnt-');
    const outbox = join(mount, 'outbox');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE}`, 'tmpfs', mount], { stdio: 'pipe' });
    } catch (error) {
      rmSync(mount, { recursive: true, force: true });
      return { status: 'skip', notes: [`skipped: cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()})`] };
    }
    let s: Stack | null = null;
    try {
      mkdirSync(outbox);
      s = await Stack.start('disk-full', { fileOutbox: outbox });
      const filler = join(mount, 'filler');
      const failures = await s.publishAll(0, NOTICES / 4);
      fill(filler);
      const full = Date.now();
      failures.push(...(await s.publishAll(NOTICES / 4, NOTICES)));
      await sleep(FULL_MS - (Date.now() - full));
      const sentWhileFull = await s.sentCount();
      rmSync(filler);
      const figures = await s.verify(await s.expected());
      const suspended = await s.count(`select count(*) n from companies where email_status = 'suspended'`);
      const failed = await s.count(`select count(*) n from deliveries where status = 'failed'`);
      const problems = [
        ...(failures.length ? [`${failures.length} API writes failed (${failures.join(', ')})`] : []),
        ...(suspended ? [`${suspended} firms suspended for a full disk`] : []),
        ...(failed ? [`${failed} e-mails marked failed for good`] : []),
        ...(sentWhileFull < figures.expected ? [] : ['the disk never filled (every alert went out while full)']),
      ];
      return outcome(figures, problems, [`${sentWhileFull} of ${figures.expected} alerts written before the space was freed; no firm suspended, nothing failed for good`]);
    } finally {
      await s?.stop();
      try {
        execFileSync('umount', [mount], { stdio: 'pipe' });
      } catch {
        await sleep(1000);
        execFileSync('umount', ['-l', mount], { stdio: 'pipe' });
      }
      rmSync(mount, { recursive: true, force: true });
    }
  },
};
