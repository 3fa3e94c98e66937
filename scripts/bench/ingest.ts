// npm run bench:ingest [-- --seconds 10] [--json] [--data ../shared/data] [--database postgres://…]
// Runs the shared eForms and OCDS files through the real ingest path (parse,
// validate, store, as `npm run ingest` does) again and again, each round into
// an empty database so every notice is a real insert, and compares the rate
// with two baselines measured in the same run:
// - the raw parser alone on the same bytes (txml for XML; JSON.parse for the
//   small OCDS files);
// - the same raw parse followed by inserting the rows that ingest leaves in
//   the database (the same rows, read back after an ingest round) with plain
//   prepared statements, one per row, in one transaction: better-sqlite3 on
//   SQLite, node-postgres named statements on PostgreSQL. The physical limit
//   of storing them (issue 17's target: ingest ≥ 70 % of it on SQLite).
// Where the time goes is measured on further rounds of the same ingest: parse
// (the bytes to a tree or objects), map (tree to a notice) and validate (zod)
// timed on the same files outside the database; compare (the lookups: SELECT),
// store (INSERT/UPDATE/DELETE of notice, buyer, children, changes) and outbox
// (its INSERT) timed per statement (a Kysely plugin: compile + execute) inside
// the real ingest; pauses, the time ingest sleeps between its write slices
// (SLICE_MS/PAUSE_MS, so other writers get in); the rest of the ingest round
// is "other" (begin, savepoints, commit, reading each source through a stream,
// garbage collection, Kysely building the statements, and storeNotice's own
// JavaScript: ids, content hash, row objects; docs/benchmarks.md has a profile).
// --database postgres://… runs all of it again on PostgreSQL, in a schema of
// its own (dropped after), emptied between rounds.
// Then the cost of the search analysis per notice (issue 15: dictionary forms,
// compound parts, src/search/text.ts indexedText) on the same notices' title,
// description and lot titles, against folding the same text alone: first with
// no word seen before, then with the words remembered (as a running service has them).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { CompiledQuery, type KyselyPlugin, type OperationNode, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import pg from 'pg';
import { parse as parseXml } from 'txml/txml';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { parseEforms } from '../../src/ingest/eforms.ts';
import { ingestSources, type IngestSummary } from '../../src/ingest/ingest.service.ts';
import { parseJsonDocument } from '../../src/ingest/json-stream.ts';
import { parseOcds } from '../../src/ingest/ocds.ts';
import { RejectedError } from '../../src/ingest/rejected.ts';
import { bufferSource, expandPaths } from '../../src/ingest/sources.ts';
import { parseXmlDocument } from '../../src/ingest/xml.ts';
import { noticeInputSchema, type NoticeInput } from '../../src/notices/notice.schema.ts';
import { wordTokens } from '../../src/domain/analysis/analyser.ts';
import { fold, indexedText } from '../../src/search/text.ts';
import { benchSchema, pgVersion, type BenchSchema } from '../lib/postgres.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    data: { type: 'string' },
    database: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const dataDir = values.data ?? new URL('../../../shared/data', import.meta.url).pathname;
if (values.database && !/^postgres(ql)?:\/\//.test(values.database)) {
  console.error('--database takes a postgres://… URL (SQLite is always measured)');
  process.exit(2);
}

type File = { name: string; bytes: Buffer };
async function load(folder: string, keep: (path: string) => boolean): Promise<File[]> {
  const paths = (await expandPaths([join(dataDir, folder)])).filter(keep);
  return paths.map((path) => ({ name: path, bytes: readFileSync(path) }));
}
const eforms = await load('eforms', (f) => f.endsWith('.xml') && !f.includes('ted-legacy') && !f.includes('INVALID'));
const ocds = await load('ocds', (f) => f.endsWith('.json'));

/** Repeats `round` for `forSeconds`; returns units per second of timed work. */
async function rate(round: () => Promise<{ units: number; ms: number }>, forSeconds = seconds): Promise<number> {
  let units = 0;
  let ms = 0;
  while (ms < forSeconds * 1000) {
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

// ---------------------------------------------------------------- statement timing

type StatementPhase = 'compare' | 'store' | 'outbox';

/** Times every statement (compile + execute) by what it is: a lookup, a write of the notice, the outbox row. */
class StatementTimer implements KyselyPlugin {
  readonly ms: Record<StatementPhase, number> = { compare: 0, store: 0, outbox: 0 };
  readonly count: Record<StatementPhase, number> = { compare: 0, store: 0, outbox: 0 };
  /** Tables written, in the order first written (the raw baseline inserts in this order). */
  readonly tables: string[] = [];
  private readonly open = new WeakMap<object, { at: number; phase: StatementPhase }>();

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    const table = writtenTable(node);
    if (table && node.kind === 'InsertQueryNode' && !this.tables.includes(table)) this.tables.push(table);
    const phase: StatementPhase = node.kind === 'SelectQueryNode' ? 'compare' : table === 'outbox' ? 'outbox' : 'store';
    this.open.set(queryId, { at: performance.now(), phase });
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const started = this.open.get(queryId);
    if (started) {
      this.ms[started.phase] += performance.now() - started.at;
      this.count[started.phase]++;
    }
    return result;
  }
}

function writtenTable(node: OperationNode): string | null {
  const target = (node as { into?: unknown; table?: unknown; from?: { froms?: unknown[] } }).into ?? (node as { table?: unknown }).table ?? (node as { from?: { froms?: unknown[] } }).from?.froms?.[0];
  const name = (target as { table?: { identifier?: { name?: string } } } | undefined)?.table?.identifier?.name;
  return typeof name === 'string' ? name : null;
}

/**
 * The pauses ingest makes between its write slices (SLICE_MS, PAUSE_MS in
 * ingest.service.ts: `sleep` from node:timers/promises) are part of its time
 * but no phase's: node:timers/promises' setTimeout is wrapped (and the ESM
 * bindings synced) to add up the time slept. Behaviour is unchanged.
 */
const sleeping = { ms: 0 };
{
  const timers = createRequire(import.meta.url)('node:timers/promises') as typeof import('node:timers/promises');
  const original = timers.setTimeout;
  timers.setTimeout = (async (...args: Parameters<typeof original>) => {
    const started = performance.now();
    try {
      return await original(...args);
    } finally {
      sleeping.ms += performance.now() - started;
    }
  }) as typeof original;
  syncBuiltinESMExports();
}

// ---------------------------------------------------------------- databases

/** An empty, migrated database per round: a new SQLite file, or the run's PostgreSQL schema emptied. */
type Target = {
  name: 'SQLite' | 'PostgreSQL';
  fresh(): Promise<{ db: Db; done(): Promise<void> }>;
  /** The rows ingest left, per table, in a form the raw baseline inserts as they are. */
  rows(db: Db, tables: string[]): Promise<TableRows[]>;
  /** Parse (`parse`) then the rows with plain prepared statements in one transaction; only that is timed. */
  rawInsert(tables: TableRows[], parse: () => void, units: number): Promise<{ units: number; ms: number }>;
  close(): Promise<void>;
};
type TableRows = { table: string; columns: string[]; rows: unknown[][] };
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function sqliteTarget(): Target {
  const freshFile = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brygga-bench-'));
    const db = openDatabase(`file:${join(dir, 'bench.db')}`);
    await migrateToLatest(db);
    return { dir, db };
  };
  return {
    name: 'SQLite',
    async fresh() {
      const { dir, db } = await freshFile();
      return { db, done: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
    },
    async rows(db, tables) {
      const out: TableRows[] = [];
      for (const table of tables) {
        const { rows } = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`select * from ${quote(table)}`));
        const columns = rows.length ? Object.keys(rows[0]) : [];
        out.push({ table, columns, rows: rows.map((r) => columns.map((c) => r[c])) });
      }
      return out;
    },
    async rawInsert(tables, parse, units) {
      const { dir, db } = await freshFile();
      await db.destroy();
      // The pragmas of db/database.ts openDatabase.
      const sqlite = new SQLite(join(dir, 'bench.db'));
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('synchronous = NORMAL');
      const result = await timed(() => {
        parse();
        const statements = tables.filter((t) => t.rows.length).map((t) => ({
          t, insert: sqlite.prepare(`insert into ${quote(t.table)} (${t.columns.map(quote).join(', ')}) values (${t.columns.map(() => '?').join(', ')})`),
        }));
        sqlite.transaction(() => {
          for (const { t, insert } of statements) for (const row of t.rows) insert.run(row);
        })();
      }, units);
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
      return result;
    },
    close: async () => undefined,
  };
}

async function postgresTarget(base: string): Promise<Target> {
  const schema: BenchSchema = await benchSchema(base, 'bench_ingest');
  const db = openDatabase(schema.url);
  await migrateToLatest(db);
  // Every table the migrations left empty (all but Kysely's own and those with seeded rows) is emptied between rounds.
  const { rows: tableRows } = await db.executeQuery<{ name: string }>(CompiledQuery.raw(
    "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'",
  ));
  const emptied: string[] = [];
  for (const { name } of tableRows) {
    const { rows } = await db.executeQuery<{ n: number }>(CompiledQuery.raw(`select count(*)::int as n from ${quote(name)}`));
    if (rows[0].n === 0) emptied.push(name);
  }
  const empty = () => db.executeQuery(CompiledQuery.raw(`truncate ${emptied.map(quote).join(', ')} restart identity cascade`));
  const columnsOf = async (table: string) =>
    (await db.executeQuery<{ name: string }>(CompiledQuery.raw(
      'select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position', [table],
    ))).rows.map((r) => r.name);
  return {
    name: 'PostgreSQL',
    async fresh() {
      await empty();
      return { db, done: async () => undefined };
    },
    async rows(db, tables) {
      const out: TableRows[] = [];
      for (const table of tables) {
        const columns = await columnsOf(table);
        // As text: each parameter then takes its column's type on insert (json, arrays, timestamps alike).
        const { rows } = await db.executeQuery<Record<string, string | null>>(CompiledQuery.raw(
          `select ${columns.map((c, i) => `${quote(c)}::text as c${i}`).join(', ')} from ${quote(table)}`,
        ));
        out.push({ table, columns, rows: rows.map((r) => columns.map((_, i) => r[`c${i}`])) });
      }
      return out;
    },
    async rawInsert(tables, parse, units) {
      await empty();
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      try {
        return await timed(async () => {
          parse();
          await client.query('begin');
          for (const t of tables) {
            const text = `insert into ${quote(t.table)} (${t.columns.map(quote).join(', ')}) values (${t.columns.map((_, i) => `$${i + 1}`).join(', ')})`;
            for (const row of t.rows) await client.query({ name: `bench-${t.table}`, text, values: row });
          }
          await client.query('commit');
        }, units);
      } finally {
        await client.end();
      }
    },
    async close() {
      await db.destroy();
      await schema.drop();
    },
  };
}

// ---------------------------------------------------------------- one format on one database

type Format = { label: 'eForms' | 'OCDS'; unit: string; files: File[]; rawParse(): void };
const formats: Format[] = [
  { label: 'eForms', unit: 'notices', files: eforms, rawParse: () => eforms.forEach((f) => parseXml(f.bytes.toString('utf8'))) },
  { label: 'OCDS', unit: 'releases', files: ocds, rawParse: () => ocds.forEach((f) => JSON.parse(f.bytes.toString('utf8'))) },
];
const PHASES = ['parse', 'map', 'validate', 'compare', 'store', 'outbox', 'pauses', 'other'] as const;
type Phase = (typeof PHASES)[number];

/** One round of ingest into an empty database; only the ingest itself is timed. */
async function ingestRound(target: Target, files: File[], timer?: StatementTimer, keep?: (db: Db) => Promise<void>, oneTransaction = false) {
  const { db, done } = await target.fresh();
  const measured = timer ? db.withPlugin(timer) : db;
  let summary: IngestSummary | undefined;
  const cpu = process.cpuUsage();
  const result = await timed(async () => {
    summary = await ingestSources(measured, files.map((f) => bufferSource(f.name, f.bytes)), {
      format: 'auto', maxBytes: 1e9, ...(oneTransaction ? { sliceMs: Number.MAX_SAFE_INTEGER, pauseMs: 0 } : {}),
    });
  }, 0);
  const used = process.cpuUsage(cpu);
  await keep?.(db);
  await done();
  const stored = summary!.totals.new + summary!.totals.updated + summary!.totals.unchanged;
  return { units: stored, ms: result.ms, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * Parse, map and validate of the same files as ingest does them, outside the
 * database, each over all files at a time (so one pass's garbage collection
 * does not land on another's), repeated for `forSeconds`: ms per round of files.
 */
async function parsePhases(format: Format, forSeconds: number): Promise<{ parse: number; map: number; validate: number }> {
  const parseAlone = () => {
    if (format.label === 'eForms') for (const f of format.files) parseXmlDocument(f.bytes.toString('utf8'), { maxLength: 20_000_000, checkRoot: () => undefined });
    else for (const f of format.files) parseJsonDocument(f.bytes);
  };
  const parseAndMap = async () => {
    const items: unknown[] = [];
    if (format.label === 'eForms') for (const f of format.files) items.push(parseEforms(f.bytes.toString('utf8')));
    else {
      for (const f of format.files) {
        try {
          for await (const item of parseOcds(Readable.from([f.bytes]))) if ('notice' in item) items.push(item.notice);
        } catch (error) {
          if (!(error instanceof RejectedError)) throw error; // a file ingest refuses too (no usable release)
        }
      }
    }
    return items;
  };
  const sum = { parse: 0, parseAndMap: 0, validate: 0 };
  let rounds = 0;
  for (const started = performance.now(); performance.now() - started < forSeconds * 1000; rounds++) {
    const t0 = performance.now();
    parseAlone();
    const t1 = performance.now();
    const items = await parseAndMap();
    const t2 = performance.now();
    for (const item of items) noticeInputSchema.safeParse(item);
    const t3 = performance.now();
    sum.parse += t1 - t0;
    sum.parseAndMap += t2 - t1;
    sum.validate += t3 - t2;
  }
  // Map is the parser with its mapping less the parse alone.
  return { parse: sum.parse / rounds, map: (sum.parseAndMap - sum.parse) / rounds, validate: sum.validate / rounds };
}

async function measure(target: Target, format: Format) {
  // Where the time goes: instrumented rounds of the same ingest, and the parse phases on the same files.
  const timer = new StatementTimer();
  let units = 0;
  let ingestMs = 0;
  let rows: TableRows[] = [];
  let slept = 0;
  let rounds = 0;
  let cpuMs = 0;
  await ingestRound(target, format.files); // warm-up: the first round compiles what the others reuse
  sleeping.ms = 0;
  while (ingestMs < (seconds * 1000) / 2) {
    const round = await ingestRound(target, format.files, timer, async (db) => {
      if (!rows.length) rows = await target.rows(db, timer.tables);
    });
    units += round.units;
    ingestMs += round.ms;
    cpuMs += round.cpuMs;
    slept += sleeping.ms;
    sleeping.ms = 0;
    rounds++;
  }
  const perRound = await parsePhases(format, seconds / 4);
  const parsed = { parse: perRound.parse * rounds, map: perRound.map * rounds, validate: perRound.validate * rounds };
  const known = parsed.parse + parsed.map + parsed.validate + timer.ms.compare + timer.ms.store + timer.ms.outbox + slept;
  const phaseMs: Record<Phase, number> = { ...parsed, ...timer.ms, pauses: slept, other: ingestMs - known };
  const perUnit = Object.fromEntries(PHASES.map((p) => [p, Number(((phaseMs[p] * 1000) / units).toFixed(1))])) as Record<Phase, number>;
  const share = Object.fromEntries(PHASES.map((p) => [p, Number((phaseMs[p] / ingestMs).toFixed(3))])) as Record<Phase, number>;
  const statementsPerUnit = Number(((timer.count.compare + timer.count.store + timer.count.outbox) / units).toFixed(1));

  const stored = (await ingestRound(target, format.files)).units;
  const rowCount = rows.reduce((n, t) => n + t.rows.length, 0);
  const rawParse = await rate(() => timed(format.rawParse, stored));
  const ingest = await rate(() => ingestRound(target, format.files));
  // The same ingest with its slicing switched off (one transaction, no pauses: the options tests use).
  const oneTransaction = await rate(() => ingestRound(target, format.files, undefined, undefined, true));
  const rawInsert = await rate(() => target.rawInsert(rows, format.rawParse, stored));
  return {
    perSec: Math.round(ingest),
    rawParsePerSec: Math.round(rawParse),
    rawInsertPerSec: Math.round(rawInsert),
    ratioToRawParse: Number((ingest / rawParse).toFixed(3)),
    ratioToRawInsert: Number((ingest / rawInsert).toFixed(3)),
    oneTransactionPerSec: Math.round(oneTransaction),
    oneTransactionRatioToRawInsert: Number((oneTransaction / rawInsert).toFixed(3)),
    storedPerRound: stored,
    rowsPerRound: rowCount,
    statementsPerUnit,
    phaseUsPerUnit: perUnit,
    /** This process's CPU time (all its threads) during the instrumented ingest rounds: the rest of their time it waited (pauses, the machine's other work, I/O). */
    cpuUsPerUnit: Number(((cpuMs * 1000) / units).toFixed(1)),
    wallUsPerUnit: Number(((ingestMs * 1000) / units).toFixed(1)),
    phaseShare: share,
  };
}

type Figures = Awaited<ReturnType<typeof measure>>;
const runs: { target: string; version?: string; eforms: Figures; ocds: Figures }[] = [];
const targets: (() => Promise<Target>)[] = [async () => sqliteTarget()];
if (values.database) targets.push(() => postgresTarget(values.database!));
for (const make of targets) {
  const target = await make();
  try {
    const version = target.name === 'PostgreSQL' ? await pgVersion(values.database!) : SQLite(':memory:').prepare('select sqlite_version() as v').get() as { v: string };
    runs.push({
      target: target.name,
      version: typeof version === 'string' ? version : version.v,
      eforms: await measure(target, formats[0]),
      ocds: await measure(target, formats[1]),
    });
  } finally {
    await target.close();
  }
}

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

const sqlite = runs[0];
const result = {
  eformsPerSec: sqlite.eforms.perSec,
  ocdsPerSec: sqlite.ocds.perSec,
  eformsRatioToRawParse: sqlite.eforms.ratioToRawParse,
  ocdsRatioToRawParse: sqlite.ocds.ratioToRawParse,
  eformsRatioToRawInsert: sqlite.eforms.ratioToRawInsert,
  ocdsRatioToRawInsert: sqlite.ocds.ratioToRawInsert,
  analysisColdUsPerNotice: Number(analysisColdUs.toFixed(1)),
  analysisWarmUsPerNotice: Number(analysisWarmUs.toFixed(1)),
  foldUsPerNotice: Number(foldUs.toFixed(1)),
  /** Per database: rates, both baselines, and where the time goes (µs per notice or release, and share of the ingest round). */
  databases: Object.fromEntries(runs.map((r) => [r.target === 'SQLite' ? 'sqlite' : 'postgres', r])),
};
const pct = (r: number) => `${(r * 100).toFixed(0)} %`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const TARGETS = { eForms: 500, OCDS: 3000 };
console.log(`eForms: ${eforms.length} files; OCDS: ${ocds.length} files, ${sqlite.ocds.storedPerRound} releases stored per round`);
for (const format of formats) {
  const key = format.label === 'eForms' ? 'eforms' : 'ocds';
  console.log(`\n${format.label} (${format.unit}/s)${runs.map((r) => r.target.padStart(17)).join('')}`);
  const line = (label: string, pick: (f: Figures) => string) => console.log(`  ${label.padEnd(34)}${runs.map((r) => pick(r[key]).padStart(17)).join('')}`);
  line('raw parse', (f) => fmt(f.rawParsePerSec));
  line('raw parse + plain inserts', (f) => fmt(f.rawInsertPerSec));
  line(`ingest (target ≥ ${fmt(TARGETS[format.label])}/s)`, (f) => fmt(f.perSec));
  line('  share of raw parse', (f) => pct(f.ratioToRawParse));
  line('  share of parse + inserts (≥ 70 %)', (f) => pct(f.ratioToRawInsert));
  line('ingest, one transaction, no pauses', (f) => fmt(f.oneTransactionPerSec));
  line('  share of parse + inserts', (f) => pct(f.oneTransactionRatioToRawInsert));
  line('rows per round / statements each', (f) => `${f.rowsPerRound} / ${f.statementsPerUnit}`);
  console.log(`  where the time goes, µs per ${format.unit.slice(0, -1)} (share of ingest)`);
  for (const phase of PHASES) line(`    ${phase}`, (f) => `${f.phaseUsPerUnit[phase]} (${pct(f.phaseShare[phase])})`);
  line('    all (CPU time of it)', (f) => `${f.wallUsPerUnit} (${fmt(f.cpuUsPerUnit)})`);
}
for (const r of runs) {
  for (const format of formats) {
    const f = r[format.label === 'eForms' ? 'eforms' : 'ocds'];
    if (r.target === 'SQLite') console.log(`${r.target} ${format.label}: ingest at ${pct(f.ratioToRawInsert)} of parse + plain inserts: target ≥ 70 % ${f.ratioToRawInsert >= 0.7 ? 'MET' : 'NOT MET'}`);
  }
}
console.log(`(SQLite ${sqlite.version}${runs[1] ? `; PostgreSQL ${runs[1].version}, a schema of its own, emptied between rounds` : ''})`);
console.log(`\nSearch analysis: ${texts.length} notices' title, description and lot titles`);
console.log(`  fold alone          ${result.foldUsPerNotice} µs/notice`);
console.log(`  analysis, new words ${result.analysisColdUsPerNotice} µs/notice (${(analysisColdUs / foldUs).toFixed(0)}× folding)`);
console.log(`  analysis, known     ${result.analysisWarmUsPerNotice} µs/notice (${(analysisWarmUs / foldUs).toFixed(0)}× folding)`);
if (values.json) console.log(JSON.stringify(result));
