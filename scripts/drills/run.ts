// npm run drills [-- --only redis-restart[,smtp]] [--parallel N]: the fault
// drills of docs/operations.md, N at a time (default 1; each has its own Redis,
// SMTP sink, ports and folders, and most of a drill is waiting out its fault);
// exits 1 when any failed.
import { parseArgs } from 'node:util';
import type { Drill, Outcome } from './drill.ts';
import { diskFull } from './disk-full.ts';
import { apiKill, workerKill } from './kill.ts';
import { meiliDown } from './meili.ts';
import { redisDataLoss, redisRestart } from './redis.ts';
import { sigterm } from './sigterm.ts';
import { smtpFaults } from './smtp.ts';
import { sqliteBusy } from './sqlite-busy.ts';

// The longest (SMTP: a minute of 421s) first, so it overlaps the others when run in parallel.
const DRILLS: Drill[] = [smtpFaults, redisRestart, redisDataLoss, workerKill, apiKill, meiliDown, sqliteBusy, diskFull, sigterm];

const { values } = parseArgs({ options: { only: { type: 'string' }, parallel: { type: 'string', default: '1' } } });
const parallel = Number(values.parallel);
if (!Number.isInteger(parallel) || parallel < 1) {
  console.error(`--parallel: a whole number of 1 or more, not ${values.parallel}`);
  process.exit(2);
}
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((n) => !DRILLS.some((d) => d.name === n)) ?? [];
if (unknown.length) {
  console.error(`unknown drill ${unknown.join(', ')}; drills: ${DRILLS.map((d) => d.name).join(', ')}`);
  process.exit(2);
}

const started = Date.now();
let failed = 0;
const queue = DRILLS.filter((d) => !only || only.includes(d.name));
async function runNext(): Promise<void> {
  for (let drill = queue.shift(); drill; drill = queue.shift()) {
    const t0 = Date.now();
    let result: Outcome;
    try {
      result = await drill.run();
    } catch (error) {
      result = { status: 'fail', notes: [`FAILED: ${(error as Error).message}`] };
    }
    if (result.status === 'fail') failed++;
    console.log(line(drill, result, Date.now() - t0));
  }
}
await Promise.all(Array.from({ length: parallel }, runNext));
console.log(`drills: ${failed ? `${failed} failed` : 'all passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);

function line(drill: Drill, r: Outcome, ms: number): string {
  const f = r.figures;
  const figures = f
    ? ` sent ${f.sent}/${f.expected}, duplicates ${f.duplicates}${f.inFlight ? ` (and ${f.inFlight} in flight at the kill)` : ''}, unexpected ${f.unexpected}, stuck ${f.stuck}, ready ${f.ready ? 'yes' : 'NO'}, recovered ${(f.recoverMs / 1000).toFixed(1)} s after the fault;`
    : '';
  return `drill ${drill.name}: ${r.status.toUpperCase()} —${figures} ${(ms / 1000).toFixed(0)} s in all (${drill.what})${r.notes.length ? `\n    ${r.notes.join('\n    ')}` : ''}`;
}
