// Upphandlingsmyndigheten (UHM) statistics CSV → notice inputs.
//
// Row-level extracts of UHM's statistics database (as published by the okfse
// project), plain or gzip-compressed. Two kinds of file, told apart by header:
//  - procurements (`number_of_procurements`, `contracted_value`): one row per
//    advertised procurement → one 'tender' notice per row, streamed;
//  - contracted tenders with suppliers: one row per winning tender → rows are
//    grouped by Upphandlings-ID (not adjacent in the file) into one 'award'
//    notice each. ~17k rows a year, so grouping in memory is fine.
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import { tryNormalizeCpv } from '../domain/cpv.ts';
import type { NoticeInputRaw } from '../notices/notice.schema.ts';
import { buffers, concat, readHead } from './chunks.ts';
import { calendarDate, clip, isoDate, money, noUsable, orgNumberDigits, requireNotice, type AwardRaw, type Money, type ParsedItem } from './parsed.ts';
import { RejectedError } from './rejected.ts';

type Size = AwardRaw['winner']['size'];

const COL = {
  id: 'Upphandlings-ID',
  title: 'Upphandlingens titel',
  buyerName: 'Namn för köpare',
  buyerOrg: 'Organisationsnummer för köpare',
  cpv: 'Huvudsaklig CPV-kod',
  published: 'Publiceringsdatum',
  procedure: 'Förfarande',
  environmental: 'Miljömässigt hållbar upphandling',
  social: 'Socialt hållbar upphandling',
  innovation: 'Innovationsupphandling',
  reserved: 'Reserverad upphandling',
  reservedExecution: 'Reserverat genomförande',
  count: 'Antal upphandlingar, Summa',
  value: 'Kontrakterat värde, Summa',
  supplier: 'Namn för leverantör',
  supplierSize: 'Företagsstorlek för leverantör',
  lot: 'Anbudsområdes-ID',
} as const;

const REQUIRED = [COL.id, COL.title, COL.buyerName, COL.buyerOrg, COL.cpv, COL.published];

type FileKind = 'procurements' | 'contracted-value' | 'contracted-tenders';

/**
 * The file's view of a procurement, as a version suffix: the three files
 * share Upphandlings-ID, and a later stage (contracted value, then winners)
 * should replace an earlier one published the same day.
 */
const STAGE: Record<FileKind, number> = { procurements: 1, 'contracted-value': 2, 'contracted-tenders': 3 };

/** Column name → index, for the columns this parser reads. */
type Columns = Map<string, number>;

/**
 * Parses one UHM CSV file. Throws RejectedError for malformed CSV or gzip, an
 * unknown header, missing columns, and a file without a single usable row.
 */
export function parseUhm(input: Readable, limits: GzipLimits = DEFAULT_GZIP_LIMITS): AsyncGenerator<ParsedItem> {
  return requireNotice(uhmItems(input, limits), (first) => noUsable('row', first, 'no data rows'));
}

/** What a gzip file may decompress to (gzip bombs are refused while streaming). */
export type GzipLimits = {
  /** Most decompressed bytes. */
  maxDecompressed: number;
  /** Largest ratio of decompressed bytes to the compressed bytes read so far. */
  maxRatio: number;
};

/** The defaults of INGEST_MAX_DECOMPRESSED and INGEST_MAX_RATIO. */
export const DEFAULT_GZIP_LIMITS: GzipLimits = { maxDecompressed: 500 * 1024 * 1024, maxRatio: 200 };

/** The ratio is only judged past this much output: a tiny file of repeated bytes is no bomb. */
const RATIO_FLOOR = 1024 * 1024;

async function* uhmItems(input: Readable, limits: GzipLimits): AsyncGenerator<ParsedItem> {
  const records = csvRecords(input, limits)[Symbol.asyncIterator]();
  const header = await nextRecord(records);
  if (!header) throw new RejectedError('empty file');
  const columns: Columns = new Map(header.map((name, i) => [name.trim(), i]));
  const kind = fileKind(columns);
  if (kind === 'contracted-tenders') yield* contractedTenders(records, columns);
  else {
    for (let row = 1, rec = await nextRecord(records); rec; row++, rec = await nextRecord(records)) {
      yield procurementItem(rec, columns, kind, row);
    }
  }
}

function fileKind(columns: Columns): FileKind {
  if (!columns.has(COL.id)) throw new RejectedError(`not a UHM statistics file: no "${COL.id}" column in the header`);
  const kind: FileKind | null = columns.has(COL.supplier)
    ? 'contracted-tenders'
    : columns.has(COL.value)
      ? 'contracted-value'
      : columns.has(COL.count)
        ? 'procurements'
        : null;
  if (!kind) {
    throw new RejectedError(`unknown UHM file: the header has none of "${COL.count}", "${COL.value}", "${COL.supplier}"`);
  }
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length) throw new RejectedError(`missing columns: ${missing.join(', ')}`);
  return kind;
}

function procurementItem(rec: string[], columns: Columns, kind: FileKind, row: number): ParsedItem {
  const item = baseNotice(rec, columns, kind, row);
  if ('rejected' in item) return item;
  if (kind === 'contracted-value') item.notice.estimatedValue = sek(field(rec, columns, COL.value));
  return item;
}

/**
 * Groups winners by Upphandlings-ID. The descriptive columns come from the
 * group's first row with a known CPV code (a few groups begin with "Uppgift saknas").
 */
async function* contractedTenders(records: AsyncIterator<string[]>, columns: Columns): AsyncGenerator<ParsedItem> {
  const groups = new Map<string, { row: number; rec: string[]; awards: AwardRaw[] }>();
  for (let row = 1, rec = await nextRecord(records); rec; row++, rec = await nextRecord(records)) {
    const id = field(rec, columns, COL.id);
    if (!id) {
      yield { rejected: 'no Upphandlings-ID', ref: `row ${row}` };
      continue;
    }
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { row, rec, awards: [] }));
    else if (!hasCpv(group.rec, columns) && hasCpv(rec, columns)) Object.assign(group, { row, rec });
    const award = awardOf(rec, columns);
    if (award && group.awards.length < 1000) group.awards.push(award);
  }
  for (const group of groups.values()) {
    const item = baseNotice(group.rec, columns, 'contracted-tenders', group.row);
    if ('notice' in item) item.notice.awards = group.awards;
    yield item;
  }
}

function hasCpv(rec: string[], columns: Columns): boolean {
  return cpvOf(rec, columns) !== null;
}

/** "79212000 Revision" → 79212000; "00000000 Uppgift saknas" (unknown) fails normalisation. */
function cpvOf(rec: string[], columns: Columns): string | null {
  return tryNormalizeCpv(field(rec, columns, COL.cpv).split(/\s/)[0]);
}

/** One winning tender. UHM publishes no supplier orgnr; "Personuppgift" marks a redacted sole trader. */
function awardOf(rec: string[], columns: Columns): AwardRaw | null {
  const name = field(rec, columns, COL.supplier);
  if (!name) return null;
  const lot = field(rec, columns, COL.lot);
  return {
    // Lot ids are `<award notice id>_<lot>`; a handful run past the schema's 64 characters.
    lotId: lot ? clip(lot, 64) : null,
    winner: { name: clip(name, 500), orgNumber: null, size: sizeOf(field(rec, columns, COL.supplierSize)), nuts: null, postalCode: null },
    value: null,
    tendersReceived: null,
  };
}

function baseNotice(rec: string[], columns: Columns, kind: FileKind, row: number): ParsedItem {
  const get = (name: string) => field(rec, columns, name);
  const id = get(COL.id);
  if (!id) return { rejected: 'no Upphandlings-ID', ref: `row ${row}` };
  if (id.length > 200) return { rejected: 'Upphandlings-ID longer than 200 characters', ref: `row ${row}` };
  const title = get(COL.title);
  if (!title) return { rejected: 'no title', ref: id };
  const buyerName = get(COL.buyerName);
  if (!buyerName) return { rejected: 'no buyer', ref: id };
  const cpv = cpvOf(rec, columns);
  if (!cpv) return { rejected: 'no CPV', ref: id };
  const published = publishedAt(get(COL.published));
  return {
    notice: {
      source: 'uhm',
      sourceId: id,
      procedureId: id,
      version: published ? `${published.slice(0, 10).replace(/-/g, '')}-${STAGE[kind]}` : String(STAGE[kind]),
      kind: kind === 'contracted-tenders' ? 'award' : 'tender',
      title: clip(title, 1000),
      description: null,
      language: 'sv',
      buyer: { name: clip(buyerName, 500), orgNumber: buyerOrgNumber(get(COL.buyerOrg)), nuts: null },
      cpv: { main: cpv, additional: [] },
      publishedAt: published,
      procedure: procedureOf(get(COL.procedure)),
      criteria: criteriaOf(get),
    },
  };
}

/** Comes as "2120001447" or "212000-1447"; Åland's Finnish business ids ("0145076-7") are not Swedish. */
function buyerOrgNumber(value: string): string | null {
  return value ? orgNumberDigits(value) : null;
}

/** UHM gives the day of publication: it stays a day, with no time made up for it. */
function publishedAt(value: string): string | null {
  return calendarDate(value) ?? isoDate(value);
}

// Swedish procedure names → eForms procurement-procedure-type codes (BT-105).
// The national below-threshold procedures are eForms' "other" ones, as in
// Swedish national notices: förenklat förfarande has one stage (every
// supplier may tender), urvalsförfarande two (suppliers apply, those chosen
// tender). "Annat förfarande" says nothing of its stages: left out, like any unknown name.
const PROCEDURES: Record<string, string> = {
  'öppet förfarande': 'open',
  'selektivt förfarande': 'restricted',
  'förhandlat förfarande med föregående annonsering': 'neg-w-call',
  'förhandlat förfarande utan föregående annonsering': 'neg-wo-call',
  'konkurrenspräglad dialog': 'comp-dial',
  'inbjudan till innovationspartnerskap': 'innovation',
  innovationspartnerskap: 'innovation',
  'förenklat förfarande': 'oth-single',
  urvalsförfarande: 'oth-mult',
};

function procedureOf(value: string): string | null {
  const text = value.toLowerCase();
  return Object.hasOwn(PROCEDURES, text) ? PROCEDURES[text] : null;
}

/**
 * Flags are True/False in the procurement files and 1/0 in the contracted
 * tenders file; empty means "not flagged or not reported". Both reserved
 * flags (reserved procurement, reserved execution in sheltered employment)
 * are LOU 4:18, eForms BT-71 'res-ws'.
 */
function criteriaOf(get: (name: string) => string): NoticeInputRaw['criteria'] {
  const strategic: string[] = [];
  if (flag(get(COL.environmental))) strategic.push('env-imp');
  if (flag(get(COL.social))) strategic.push('soc-obj');
  if (flag(get(COL.innovation))) strategic.push('inn-pur');
  const reserved = flag(get(COL.reserved)) || flag(get(COL.reservedExecution)) ? ['res-ws'] : [];
  return { strategic, reserved };
}

function flag(value: string): boolean {
  return /^(true|1|ja|yes)$/i.test(value);
}

/** A contracted value of 0 is how the export writes "not reported" (441 of 9,780 rows in 2021). */
function sek(value: string): Money | null {
  const amount = Number(value.replace(/\s/g, '').replace(',', '.'));
  return amount > 0 ? money(amount, 'SEK') : null;
}

function sizeOf(value: string): Size {
  const v = value.toLowerCase();
  if (v.startsWith('mikro')) return 'micro';
  if (v.startsWith('små')) return 'small';
  if (v.startsWith('medelstor')) return 'medium';
  if (v.startsWith('stor')) return 'large';
  return null;
}

function field(rec: string[], columns: Columns, name: string): string {
  const i = columns.get(name);
  return i === undefined ? '' : (rec[i] ?? '').trim();
}

// ---------------------------------------------------------------------------
// Bytes → CSV records

/** csv-parse and zlib failures become rejections; I/O errors stay errors (worth a retry). */
async function nextRecord(records: AsyncIterator<string[]>): Promise<string[] | null> {
  try {
    const next = await records.next();
    return next.done ? null : next.value;
  } catch (error) {
    if (error instanceof CsvError) throw new RejectedError(`malformed CSV: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new RejectedError(`malformed gzip: ${(error as Error).message}`);
    throw error;
  }
}

/** A record larger than this is a runaway quote, not data. */
const MAX_RECORD_SIZE = 1_000_000;

async function* csvRecords(input: Readable, limits: GzipLimits): AsyncGenerator<string[]> {
  // Read up to the end of the header line to choose the delimiter.
  const head = await readHead(decompressed(input, limits), (size, last) => last.includes(10 /* \n */) || size >= 65_536);
  const text = Buffer.concat(head.chunks).toString('latin1'); // only looking for ASCII separators
  const parser = parse({
    delimiter: delimiterOf(text.split('\n')[0]),
    bom: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_SIZE,
  });
  pipeline(Readable.from(concat(head.chunks, head.rest)), parser, () => {}); // errors surface on the parser
  yield* parser as AsyncIterable<string[]>;
}

/** UHM's own downloads use ";" (Swedish Excel); the okfse exports use ",". */
function delimiterOf(headerLine: string): string {
  const count = (c: string) => headerLine.split(c).length;
  return count(';') > count(',') ? ';' : ',';
}

/**
 * The input's bytes, gunzipped when they start with the gzip magic 1f 8b.
 * Gunzipped output is counted as it comes: past `limits` the file is refused
 * at once (and the decompression stopped), not after inflating all of it.
 */
async function* decompressed(input: Readable, limits: GzipLimits): AsyncGenerator<Buffer> {
  const head = await readHead(buffers(input as AsyncIterable<Buffer | string>), (size) => size >= 2);
  const start = Buffer.concat(head.chunks);
  if (start[0] !== 0x1f || start[1] !== 0x8b) return yield* concat([start], head.rest);
  const gunzip = zlib.createGunzip();
  pipeline(Readable.from(concat([start], head.rest)), gunzip, () => {});
  let out = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > limits.maxDecompressed) {
        throw new RejectedError(
          `gzip decompresses to more than ${megabytes(limits.maxDecompressed)} MB, the limit (INGEST_MAX_DECOMPRESSED)`,
        );
      }
      // bytesWritten: the compressed bytes zlib has consumed so far, so the ratio is the file's own.
      const compressed = gunzip.bytesWritten;
      if (out > RATIO_FLOOR && out > limits.maxRatio * compressed) {
        throw new RejectedError(
          `gzip ratio over ${limits.maxRatio}:1 (${size(out)} from ${size(compressed)} read), ` +
            `the limit (INGEST_MAX_RATIO): a gzip bomb?`,
        );
      }
      yield chunk;
    }
  } finally {
    gunzip.destroy();
  }
}

const megabytes = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1)).toString();
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${megabytes(bytes)} MB`);
