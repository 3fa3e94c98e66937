// Drill 5: SQLite busy. A second process holds the write lock (a raw write
// transaction of 3 s, twice) and `npm run ingest` imports 3,000 notices nobody
// watches, while 200 notices are published through the API and their alerts
// go out: every API write must succeed (no SQLITE_BUSY reaches a user).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTICES, spawnNode, Stack, UNWATCHED, type Proc } from './harness.ts';
import { outcome, type Drill } from './drill.ts';

const HOLD_MS = 3000;
const IMPORTED = 3000;

/** Takes the write lock and keeps it HOLD_MS, twice (better-sqlite3, as Brygga opens the file). */
const holder = (path: string) => `
const Database = require('better-sqlite3');
const db = new Database(${JSON.stringify(path)});
db.pragma('busy_timeout = 5000');
const hold = () => { db.exec('begin immediate'); db.exec("update companies set name = name"); const end = Date.now() + ${HOLD_MS}; while (Date.now() < end); db.exec('commit'); };
hold(); setTimeout(() => { hold(); db.close(); }, 500);
`;

function feed(): string {
  const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const releases = Array.from({ length: IMPORTED }, (_, i) => ({
    ocid: `ocds-busy-${i}`, id: `r${i}`, date: new Date().toISOString(), tag: ['tender'], buyer: { name: 'Alingsås kommun' },
    tender: { id: 't', title: `Import ${i}`, status: 'active', items: [{ id: '1', classification: { scheme: 'CPV', id: UNWATCHED } }], tenderPeriod: { endDate: deadline } },
  }));
  return JSON.stringify({ uri: 'https://drill.test/busy', publishedDate: new Date().toISOString(), releases });
}

export const sqliteBusy: Drill = {
  name: 'sqlite-busy',
  what: `a second process holding SQLite's write lock ${HOLD_MS / 1000} s (twice) and npm run ingest of ${IMPORTED} notices while alerts flow`,
  async run() {
    const s = await Stack.start('sqlite-busy');
    try {
      const file = join(s.dir, 'busy.json');
      writeFileSync(file, feed());
      const dbPath = s.env.DATABASE_URL.slice('file:'.length);
      let slowest = 0;
      const procs: Proc[] = [];
      const failures = await s.publishAll(0, NOTICES, async (i) => {
        if (i === 40) procs.push(spawnNode('ingest', 'scripts/ingest.ts', [file], s.env, join(s.dir, 'ingest.log')));
        if (i === 60) procs.push(spawnNode('lock', '-e', [holder(dbPath)], {}, join(s.dir, 'lock.log')));
      }, (ms) => (slowest = Math.max(slowest, ms)));
      const [ingested, locked] = await Promise.all(procs.map((p) => p.exited));
      const figures = await s.verify(await s.expected());
      const problems = [
        ...(failures.length ? [`${failures.length} API writes failed (${[...new Set(failures)].join(', ')})`] : []),
        ...(ingested === 0 ? [] : [`npm run ingest exited ${ingested}`]),
        ...(locked === 0 ? [] : [`the lock holder exited ${locked}`]),
      ];
      return outcome(figures, problems, [`API writes: ${NOTICES - failures.length} of ${NOTICES} succeeded, slowest ${slowest} ms; ingest stored ${IMPORTED} notices beside them`]);
    } finally {
      await s.stop();
    }
  },
};
