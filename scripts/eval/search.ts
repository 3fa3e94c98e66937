// npm run eval:search -- [--data <folder>] [--judgments <file>] [--explain <query>] [--postgres <url>] [--json]
// How well search answers Swedish questions: the judged queries of
// test/relevance/judgments.json over the notices of the shared data (eForms,
// OCDS and Upphandlingsmyndigheten's statistics, with the full CPV list for
// the categories' names), indexed in a fresh SQLite file. Prints nDCG@10,
// recall@100 and precision@10 for FTS5, for Meilisearch when MEILI_URL is
// set, for PostgreSQL full-text search with --postgres (the same documents in
// a schema of their own on that server, dropped after), and for the analysis
// before issue 15 (prefix-baseline.ts) as the baseline, measured in the same
// run. With --json the last line is
// { queries, ndcgAt10, recallAt100, precisionAt10, baseline: {…}, meilisearch?: {…}, postgres?: {…} }.
// --explain prints, for one judged query, what FTS5 ranked in its first 100
// that is not judged relevant, and the relevant notices it did not.
// Exit code: 0 measured, 2 usage or missing data.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { importCpvLabels, loadCpvLabels } from '../../src/cpv/cpv-labels.ts';
import { ingestSources } from '../../src/ingest/ingest.service.ts';
import { expandPaths, fileSource } from '../../src/ingest/sources.ts';
import { PlaceResolver } from '../../src/regions/notice-place.ts';
import { importRegions } from '../../src/regions/regions.import.ts';
import { activeDocuments } from '../../src/search/document.ts';
import { FtsSearchIndex } from '../../src/search/fts5.ts';
import { MeiliSearchIndex } from '../../src/search/meilisearch.ts';
import { PostgresSearchIndex } from '../../src/search/postgres.ts';
import { emptyQuery, type SearchDocument, type SearchIndex } from '../../src/search/search.types.ts';
import { score, type Judged, type Scores } from './measures.ts';
import { PrefixBaseline } from './prefix-baseline.ts';

const USAGE = 'usage: npm run eval:search -- [--data <folder with cpv/, regions/, eforms/, ocds/, sustainability/>] [--judgments <file>] [--explain <query>] [--postgres <url>] [--json]';
const ANSWER = 100;

let values;
try {
  ({ values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/data' },
      judgments: { type: 'string', default: 'test/relevance/judgments.json' },
      explain: { type: 'string' },
      postgres: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const log = values.json ? console.error : console.log;

type JudgmentsFile = { now: string; queries: { query: string; relevant: string[] }[] };
let file: JudgmentsFile;
try {
  file = JSON.parse(readFileSync(values.judgments, 'utf8'));
} catch (error) {
  console.error(`${values.judgments}: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const now = new Date(file.now ?? Date.now());
const judged: Judged[] = file.queries.map((q) => ({ query: q.query, relevant: new Set(q.relevant) }));

const dir = mkdtempSync(join(tmpdir(), 'brygga-eval-search-'));
const db = openDatabase(`file:${join(dir, 'eval.db')}`);
try {
  const docs = await load(db, values.data);
  log(`${docs.length} notices indexed`);
  const keys = await sourceKeys(db);
  const answers = async (ask: (q: string) => Promise<string[]> | string[]) => {
    const out = new Map<string, string[]>();
    for (const j of judged) out.set(j.query, (await ask(j.query)).map((id) => keys.get(id) ?? id));
    return out;
  };
  const searchWith = (index: SearchIndex) => async (q: string) =>
    (await index.search(emptyQuery({ q, pageSize: ANSWER }), now)).hits.map((h) => h.id);

  const fts = new FtsSearchIndex(db);
  await fts.init();
  for (let i = 0; i < docs.length; i += 1000) await fts.upsert(docs.slice(i, i + 1000));
  const ftsAnswers = await answers(searchWith(fts));
  const baseline = new PrefixBaseline(docs);
  const result: Scores & { baseline: Scores; meilisearch?: Scores; postgres?: Scores } = {
    ...score(judged, ftsAnswers),
    baseline: score(judged, await answers((q) => baseline.search(q, ANSWER))),
  };

  if (process.env.MEILI_URL) {
    const meili = new MeiliSearchIndex({ url: process.env.MEILI_URL, key: process.env.MEILI_KEY ?? null, indexUid: `brygga-eval-${process.pid}` });
    try {
      await meili.init();
      await meili.upsert(docs);
      result.meilisearch = score(judged, await answers(searchWith(meili)));
    } finally {
      await meili.drop();
    }
  }

  let pgAnswers: Map<string, string[]> | null = null;
  if (values.postgres) {
    pgAnswers = await withPostgres(values.postgres, async (index) => {
      await index.init();
      for (let i = 0; i < docs.length; i += 1000) await index.upsert(docs.slice(i, i + 1000));
      return answers(searchWith(index));
    });
    result.postgres = score(judged, pgAnswers);
  }

  const explained = judged.find((j) => j.query === values.explain);
  if (explained) {
    const titles = new Map(docs.map((d) => [keys.get(d.id)!, `${d.title} | ${d.labels}`]));
    const got = ftsAnswers.get(explained.query)!;
    log(`"${explained.query}": in the first ${ANSWER}, not judged relevant:`);
    for (const id of got.filter((id) => !explained.relevant.has(id))) log(`  ${id}  ${titles.get(id)}`);
    log('judged relevant, not in the first 100:');
    for (const id of [...explained.relevant].filter((id) => !got.includes(id))) log(`  ${id}  ${titles.get(id)}`);
  }
  const perQuery = judged.map((j) => {
    const row = (ranked: string[] = []) => score([j], new Map([[j.query, ranked]]));
    return { query: j.query, relevant: j.relevant.size, fts5: row(ftsAnswers.get(j.query)), postgres: pgAnswers && row(pgAnswers.get(j.query)) };
  });
  for (const q of perQuery) {
    const pg = q.postgres ? `  PostgreSQL ${q.postgres.ndcgAt10.toFixed(2)} / ${q.postgres.recallAt100.toFixed(2)}` : '';
    log(`${q.query.padEnd(38)} ${String(q.relevant).padStart(5)} relevant  nDCG@10 ${q.fts5.ndcgAt10.toFixed(2)}  recall@100 ${q.fts5.recallAt100.toFixed(2)}${pg}`);
  }
  const line = (name: string, s: Scores) =>
    `${name.padEnd(28)} nDCG@10 ${s.ndcgAt10.toFixed(3)}  recall@100 ${s.recallAt100.toFixed(3)}  precision@10 ${s.precisionAt10.toFixed(3)}`;
  log(`\n${judged.length} queries`);
  log(line('FTS5 (Swedish analysis)', result));
  if (result.meilisearch) log(line('Meilisearch', result.meilisearch));
  if (result.postgres) log(line('PostgreSQL', result.postgres));
  log(line('baseline (prefix stems)', result.baseline));
  if (values.json) console.log(JSON.stringify(result));
} finally {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}

/** A fresh database with the shared data in it: the CPV list, municipalities, and every notice; their search documents. */
async function load(db: Db, data: string): Promise<SearchDocument[]> {
  await migrateToLatest(db);
  try {
    await importCpvLabels(db, join(data, 'cpv', 'cpv_2008_sv_en.csv'));
    await importRegions(db, join(data, 'regions'));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  await loadCpvLabels(db);
  const files = await expandPaths(['eforms', 'ocds', 'sustainability'].map((f) => join(data, f)));
  const sources = (async function* () {
    for (const file of files) yield fileSource(file);
  })();
  await ingestSources(db, sources, { format: 'auto', maxBytes: 1 << 30 });
  const docs: SearchDocument[] = [];
  for await (const batch of activeDocuments(db, new PlaceResolver(db))) docs.push(...batch);
  return docs;
}

/**
 * `use` with a PostgreSQL index in a schema of its own on that server,
 * created and dropped here, so nothing else there is touched.
 */
async function withPostgres<T>(url: string, use: (index: PostgresSearchIndex) => Promise<T>): Promise<T> {
  const schema = `brygga_eval_${process.pid}`;
  const admin = openDatabase(url);
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const db = openDatabase(scoped.toString());
  try {
    return await use(new PostgresSearchIndex(db));
  } finally {
    await db.destroy();
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin);
    await admin.destroy();
  }
}

/** Notice id → "source:sourceId", the names judgments use. */
async function sourceKeys(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('notices').select(['id', 'source', 'source_id']).execute();
  return new Map(rows.map((r) => [r.id, `${r.source}:${r.source_id}`]));
}
