// npm run bench:ingest [-- --seconds 10] [--json]
// Ingests the shared eForms and OCDS files again and again into a fresh SQLite
// database (each round under new ids, so every notice is a real insert) and
// compares the rate with the raw parser alone on the same bytes (txml for XML,
// JSON.parse for the small OCDS files), measured in the same run.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parse as parseXml } from 'txml/txml';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { parseEforms } from '../../src/ingest/eforms.ts';
import { parseOcds } from '../../src/ingest/ocds.ts';
import { expandPaths } from '../../src/ingest/sources.ts';
import { noticeInputSchema, type NoticeInputRaw } from '../../src/notices/notice.schema.ts';
import { storeNotice } from '../../src/notices/notices.service.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, json: { type: 'boolean', default: false }, data: { type: 'string' } },
});
const seconds = Number(values.seconds);
const dataDir = values.data ?? new URL('../../../shared/data', import.meta.url).pathname;

const eformsFiles = (await expandPaths([join(dataDir, 'eforms')]))
  .filter((f) => !f.includes('ted-legacy') && !f.includes('INVALID'))
  .map((f) => readFileSync(f, 'utf8'));
const ocdsFiles = (await expandPaths([join(dataDir, 'ocds')])).filter((f) => f.endsWith('.json')).map((f) => readFileSync(f));

/** Runs `round` until `seconds` have passed; returns units per second. */
async function rate(round: () => Promise<number> | number): Promise<number> {
  let units = 0;
  const start = performance.now();
  do units += await round();
  while (performance.now() - start < seconds * 1000);
  return units / ((performance.now() - start) / 1000);
}

function freshDb(): { db: Db; done(): Promise<void> } & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'brygga-bench-'));
  const db = openDatabase(`file:${join(dir, 'bench.db')}`);
  return { db, dir, done: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })) };
}

async function store(db: Db, notices: NoticeInputRaw[], round: number): Promise<number> {
  // One transaction per file, as the ingest command does.
  await db.transaction().execute(async (trx) => {
    for (const raw of notices) {
      const notice = noticeInputSchema.parse(raw);
      await storeNotice(trx, { ...notice, sourceId: `${notice.sourceId}#${round}`, procedureId: `${notice.procedureId}#${round}` });
    }
  });
  return notices.length;
}

// eForms
const eformsRaw = await rate(() => {
  for (const text of eformsFiles) parseXml(text);
  return eformsFiles.length;
});
const eformsDb = freshDb();
await migrateToLatest(eformsDb.db);
let eformsRound = 0;
const eformsPerSec = await rate(async () => {
  eformsRound++;
  let n = 0;
  for (const text of eformsFiles) n += await store(eformsDb.db, [parseEforms(text)], eformsRound);
  return n;
});
await eformsDb.done();

// OCDS
const ocdsReleases = await (async () => {
  let n = 0;
  for (const bytes of ocdsFiles) for await (const item of parseOcds(Readable.from([bytes]))) if ('notice' in item) n++;
  return n;
})();
const ocdsRaw = await rate(async () => {
  // Files this small are parsed whole with JSON.parse (large ones are streamed).
  for (const bytes of ocdsFiles) JSON.parse(bytes.toString('utf8'));
  return ocdsReleases;
});
const ocdsDb = freshDb();
await migrateToLatest(ocdsDb.db);
let ocdsRound = 0;
const ocdsPerSec = await rate(async () => {
  ocdsRound++;
  let n = 0;
  for (const bytes of ocdsFiles) {
    const notices: NoticeInputRaw[] = [];
    for await (const item of parseOcds(Readable.from([bytes]))) if ('notice' in item) notices.push(item.notice);
    n += await store(ocdsDb.db, notices, ocdsRound);
  }
  return n;
});
await ocdsDb.done();

const result = {
  eformsPerSec: Math.round(eformsPerSec),
  ocdsPerSec: Math.round(ocdsPerSec),
  eformsRatioToRawParse: Number((eformsPerSec / eformsRaw).toFixed(3)),
  ocdsRatioToRawParse: Number((ocdsPerSec / ocdsRaw).toFixed(3)),
};
console.log(`eForms: ${eformsFiles.length} files (${Math.round(eformsFiles.reduce((n, f) => n + f.length, 0) / eformsFiles.length / 1024)} KB avg)`);
console.log(`  raw txml parse     ${Math.round(eformsRaw)} notices/s`);
console.log(`  ingest into SQLite ${result.eformsPerSec} notices/s  (${(result.eformsRatioToRawParse * 100).toFixed(0)} % of raw; target ≥ 500/s and ≥ 70 %)`);
console.log(`OCDS: ${ocdsFiles.length} files, ${ocdsReleases} releases`);
console.log(`  raw JSON.parse           ${Math.round(ocdsRaw)} releases/s`);
console.log(`  ingest into SQLite       ${result.ocdsPerSec} releases/s  (${(result.ocdsRatioToRawParse * 100).toFixed(0)} % of raw; target ≥ 3000/s and ≥ 70 %)`);
if (values.json) console.log(JSON.stringify(result));
