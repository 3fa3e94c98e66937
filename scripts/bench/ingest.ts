// npm run bench:ingest [-- --seconds 10] [--json] [--data ../shared/data]
// Runs the shared eForms and OCDS files through the real ingest path (parse,
// validate, store in SQLite, as `npm run ingest` does) again and again, each
// round into a fresh database so every notice is a real insert, and compares
// the rate with the raw parser alone on the same bytes (txml for XML; JSON.parse
// for the small OCDS files), measured in the same run. Then the cost of the
// search analysis per notice (issue 15: dictionary forms, compound parts,
// src/search/text.ts indexedText) on the same notices' title, description and
// lot titles, against folding the same text alone: first with no word seen
// before, then with the words remembered (as a running service has them).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseXml } from 'txml/txml';
import { migrateToLatest, openDatabase } from '../../db/database.ts';
import { ingestSources, type IngestSummary } from '../../src/ingest/ingest.service.ts';
import { bufferSource, expandPaths } from '../../src/ingest/sources.ts';
import type { NoticeInput } from '../../src/notices/notice.schema.ts';
import { wordTokens } from '../../src/domain/analysis/analyser.ts';
import { fold, indexedText } from '../../src/search/text.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, json: { type: 'boolean', default: false }, data: { type: 'string' } },
});
const seconds = Number(values.seconds);
const dataDir = values.data ?? new URL('../../../shared/data', import.meta.url).pathname;

async function load(folder: string, keep: (path: string) => boolean) {
  const paths = (await expandPaths([join(dataDir, folder)])).filter(keep);
  return paths.map((path) => ({ name: path, bytes: readFileSync(path) }));
}
const eforms = await load('eforms', (f) => f.endsWith('.xml') && !f.includes('ted-legacy') && !f.includes('INVALID'));
const ocds = await load('ocds', (f) => f.endsWith('.json'));

/** Repeats `round` for the configured time; returns units per second of timed work. */
async function rate(round: () => Promise<{ units: number; ms: number }>): Promise<number> {
  let units = 0;
  let ms = 0;
  while (ms < seconds * 1000) {
    const r = await round();
    units += r.units;
    ms += r.ms;
  }
  return units / (ms / 1000);
}

async function timed(work: () => unknown, units: number) {
  const start = performance.now();
  await work();
  return { units, ms: performance.now() - start };
}

/** One round of ingest into a fresh database; only the ingest itself is timed. */
async function ingestRound(files: { name: string; bytes: Buffer }[]) {
  const dir = mkdtempSync(join(tmpdir(), 'brygga-bench-'));
  const db = openDatabase(`file:${join(dir, 'bench.db')}`);
  await migrateToLatest(db);
  let summary: IngestSummary | undefined;
  const result = await timed(async () => {
    summary = await ingestSources(db, files.map((f) => bufferSource(f.name, f.bytes)), { format: 'auto', maxBytes: 1e9 });
  }, 0);
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  const stored = summary!.totals.new + summary!.totals.updated + summary!.totals.unchanged;
  return { units: stored, ms: result.ms };
}

const ocdsReleases = (await ingestRound(ocds)).units;
const eformsRaw = await rate(() => timed(() => eforms.forEach((f) => parseXml(f.bytes.toString('utf8'))), eforms.length));
const eformsPerSec = await rate(() => ingestRound(eforms));
const ocdsRaw = await rate(() => timed(() => ocds.forEach((f) => JSON.parse(f.bytes.toString('utf8'))), ocdsReleases));
const ocdsPerSec = await rate(() => ingestRound(ocds));

// The notices' searchable text, read by a dry run of the same ingest.
const texts: string[] = [];
const collect = (notice: NoticeInput) => texts.push([notice.title, notice.description ?? '', ...notice.lots.map((l) => l.title ?? '')].join(' '));
await ingestSources(null as never, [...eforms, ...ocds].map((f) => bufferSource(f.name, f.bytes)), { format: 'auto', maxBytes: 1e9, dryRun: true, onNotice: collect });
wordTokens('lexikon'); // the dictionary is read once per process, before anything is timed
const microsPerNotice = (work: (text: string) => unknown) => {
  const start = performance.now();
  for (const text of texts) work(text);
  return ((performance.now() - start) * 1000) / texts.length;
};
const analysisColdUs = microsPerNotice(indexedText);
let analysisWarmUs = Infinity;
let foldUs = Infinity;
for (let i = 0; i < 5; i++) {
  analysisWarmUs = Math.min(analysisWarmUs, microsPerNotice(indexedText));
  foldUs = Math.min(foldUs, microsPerNotice(fold));
}

const result = {
  eformsPerSec: Math.round(eformsPerSec),
  ocdsPerSec: Math.round(ocdsPerSec),
  eformsRatioToRawParse: Number((eformsPerSec / eformsRaw).toFixed(3)),
  ocdsRatioToRawParse: Number((ocdsPerSec / ocdsRaw).toFixed(3)),
  analysisColdUsPerNotice: Number(analysisColdUs.toFixed(1)),
  analysisWarmUsPerNotice: Number(analysisWarmUs.toFixed(1)),
  foldUsPerNotice: Number(foldUs.toFixed(1)),
};
const pct = (r: number) => `${(r * 100).toFixed(0)} %`;
console.log(`eForms: ${eforms.length} files`);
console.log(`  raw txml parse      ${Math.round(eformsRaw)} notices/s`);
console.log(`  ingest into SQLite  ${result.eformsPerSec} notices/s = ${pct(result.eformsRatioToRawParse)} of raw (targets: ≥ 500/s, ≥ 70 %)`);
console.log(`OCDS: ${ocds.length} files, ${ocdsReleases} releases stored per round`);
console.log(`  raw JSON.parse      ${Math.round(ocdsRaw)} releases/s`);
console.log(`  ingest into SQLite  ${result.ocdsPerSec} releases/s = ${pct(result.ocdsRatioToRawParse)} of raw (targets: ≥ 3,000/s, ≥ 70 %)`);
console.log(`Search analysis: ${texts.length} notices' title, description and lot titles`);
console.log(`  fold alone          ${result.foldUsPerNotice} µs/notice`);
console.log(`  analysis, new words ${result.analysisColdUsPerNotice} µs/notice (${(analysisColdUs / foldUs).toFixed(0)}× folding)`);
console.log(`  analysis, known     ${result.analysisWarmUsPerNotice} µs/notice (${(analysisWarmUs / foldUs).toFixed(0)}× folding)`);
if (values.json) console.log(JSON.stringify(result));
