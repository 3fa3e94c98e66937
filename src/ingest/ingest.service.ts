// Ingest: a source's bytes → parser → zod → the notices service. Small files
// are stored all-or-nothing in a savepoint; write transactions are kept short
// (SLICE_MS) with a pause between them, so that the API and the workers, in
// this process or another, never wait long behind an import.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { startWriteTransaction, type Db, type OpenTransaction } from '../../db/database.ts';
import { noticeInputSchema, type NoticeInput } from '../notices/notice.schema.ts';
import { storeNotice } from '../notices/notices.service.ts';
import { detectFormat, type IngestFormat } from './detect.ts';
import { parseEforms } from './eforms.ts';
import { parseInvoices, parseSupplierRegister } from './ledgers.ts';
import { storeInvoices, storeSupplierRegister, type ImportCounts } from '../stats/imports.service.ts';
import { parseOcds } from './ocds.ts';
import type { ParsedItem } from './parsed.ts';
import { RejectedError } from './rejected.ts';
import type { IngestSource } from './sources.ts';
import { DEFAULT_GZIP_LIMITS, parseUhm, type GzipLimits } from './uhm.ts';

export type IngestOptions = {
  format: IngestFormat | 'auto';
  dryRun?: boolean;
  maxBytes: number;
  /** Limits on what a gzip file decompresses to (INGEST_MAX_DECOMPRESSED, INGEST_MAX_RATIO). */
  gzip?: GzipLimits;
  /** Called with every valid notice of a dry run (for --dry-run --json). */
  onNotice?: (notice: NoticeInput) => void;
  /** Longest a write transaction stays open, and the pause after it (tests shorten them). */
  sliceMs?: number;
  pauseMs?: number;
};

export type FileResult = {
  file: string;
  format: IngestFormat | null;
  new: number;
  updated: number;
  unchanged: number;
  /** Notices refused inside an otherwise good file, and why. */
  rejected: { ref: string; reason: string }[];
  /**
   * Set when the whole file was refused. Nothing of it was stored, unless the
   * file failed only while being stored after it had been read through once
   * without fault (it changed on disk, say); then the counts say what was kept.
   */
  error: string | null;
};

export type IngestSummary = {
  files: FileResult[];
  totals: { files: number; new: number; updated: number; unchanged: number; rejected: number; rejectedFiles: number };
};

/**
 * A write transaction is committed once it has been open this long (at the
 * next notice or file), and the next one begins only after PAUSE_MS. A writer
 * in another process waits in SQLite's busy handler, which looks again every
 * 100 ms at most: a pause of 100 ms lets it in, where an immediate `begin`
 * would starve it until busy_timeout (5 s) and a SQLITE_BUSY.
 */
const SLICE_MS = 200;
const PAUSE_MS = 100;

/** Ingests one source. */
export async function ingestSource(db: Db, source: IngestSource, options: IngestOptions): Promise<FileResult> {
  return (await ingestSources(db, [source], options)).files[0];
}

/**
 * Ingests sources one after the other. Small files share a transaction for
 * speed (a commit costs more than storing a small notice), each in a savepoint
 * of its own: a file that turns out bad is rolled back alone. A file that
 * cannot be stored within one slice is first read through without storing
 * (so a bad file is still refused whole), then stored in slices.
 */
export async function ingestSources(
  db: Db,
  sources: AsyncIterable<IngestSource> | Iterable<IngestSource>,
  options: IngestOptions & { onFile?: (result: FileResult) => void },
): Promise<IngestSummary> {
  const files: FileResult[] = [];
  const batch = options.dryRun ? null : new Batch(db, options.sliceMs ?? SLICE_MS, options.pauseMs ?? PAUSE_MS);
  try {
    for await (const source of sources) {
      const result = await ingestFile(batch, source, options);
      files.push(result);
      options.onFile?.(result);
      if (batch?.due) await batch.commit();
    }
    await batch?.commit();
  } catch (error) {
    await batch?.rollback();
    throw error;
  }
  return { files, totals: totalsOf(files) };
}

async function ingestFile(batch: Batch | null, source: IngestSource, options: IngestOptions): Promise<FileResult> {
  const result: FileResult = { file: source.name, format: null, new: 0, updated: 0, unchanged: 0, rejected: [], error: null };
  const kept = { new: 0, updated: 0, unchanged: 0 };
  try {
    if (source.size > options.maxBytes) {
      throw new RejectedError(`file too large: ${megabytes(source.size)} MB, the limit is ${megabytes(options.maxBytes)} MB`);
    }
    if (source.size === 0) throw new RejectedError('empty file');
    const format = options.format === 'auto' ? detectFormat(await source.head()) : options.format;
    if (!format) throw new RejectedError('unsupported format: not eForms XML, OCDS JSON, UHM statistics CSV, a supplier register or invoices');
    result.format = format;
    if (format === 'supplier-register' || format === 'invoices') return await ingestLedger(batch, source, format, result);
    const notices = () => validNotices(source, format, options, result);
    if (!batch) {
      for await (const notice of notices()) {
        options.onNotice?.(notice);
        result.new++;
      }
      return result;
    }
    // First try: the whole file in one savepoint. When the slice runs out in
    // the middle of it, undo it, commit what came before, and try again in a
    // fresh slice; if the file alone used half a slice, read it through first.
    for (let checked = false; ; ) {
      const outcome = await storeFile(batch, notices(), result, kept, checked);
      if (outcome === 'stored') break;
      Object.assign(result, { new: 0, updated: 0, unchanged: 0, rejected: [] });
      await batch.commit();
      if (outcome === 'too-long') {
        for await (const _ of notices()); // throws RejectedError for a bad file, storing nothing
        Object.assign(result, { rejected: [] });
        checked = true;
      }
    }
  } catch (error) {
    if (!(error instanceof RejectedError)) throw error;
    Object.assign(result, { ...kept, rejected: [], error: error.reason });
  }
  return result;
}

/**
 * A supplier register or invoice file: read whole (they are small), bad rows
 * named, the rest stored in one savepoint (all or nothing).
 */
async function ingestLedger(batch: Batch | null, source: IngestSource, format: 'supplier-register' | 'invoices', result: FileResult): Promise<FileResult> {
  const text = await readText(source.stream());
  const parsed = format === 'invoices' ? parseInvoices(text) : parseSupplierRegister(text);
  const count = 'lines' in parsed ? parsed.lines.length : parsed.entries.length;
  if (count === 0) throw new RejectedError(`no usable row${parsed.rejected[0] ? ` (first: ${parsed.rejected[0].reason} at ${parsed.rejected[0].ref})` : ''}`);
  result.rejected.push(...parsed.rejected);
  if (!batch) return Object.assign(result, { new: count });
  const file = await batch.beginFile();
  let counts: ImportCounts;
  try {
    counts = 'lines' in parsed ? await storeInvoices(file.trx, parsed.lines, source.name) : await storeSupplierRegister(file.trx, parsed.entries, source.name);
  } catch (error) {
    await file.undo();
    throw error;
  }
  await file.done();
  result.rejected.push(...counts.rejected);
  return Object.assign(result, { new: counts.new, updated: counts.updated, unchanged: counts.unchanged });
}

/**
 * Stores a file's notices. Unchecked (not yet read through once), the file
 * stays in one savepoint and gives up when the slice runs out; checked, it is
 * committed at every slice (`kept` counts what was committed).
 */
async function storeFile(
  batch: Batch,
  notices: AsyncGenerator<NoticeInput>,
  result: FileResult,
  kept: { new: number; updated: number; unchanged: number },
  checked: boolean,
): Promise<'stored' | 'slice-ended' | 'too-long'> {
  let file = await batch.beginFile();
  const began = performance.now();
  try {
    for await (const notice of notices) {
      result[(await storeNotice(file.trx, notice)).outcome]++;
      if (!batch.due) continue;
      if (!checked) {
        await file.undo();
        return performance.now() - began >= batch.sliceMs / 2 ? 'too-long' : 'slice-ended';
      }
      await file.done();
      await batch.commit();
      Object.assign(kept, { new: result.new, updated: result.updated, unchanged: result.unchanged });
      file = await batch.beginFile();
    }
    await file.done();
    return 'stored';
  } catch (error) {
    if (error instanceof RejectedError) await file.undo();
    throw error;
  }
}

/** The file's valid notices; records refused inside it are added to `result.rejected`. */
async function* validNotices(source: IngestSource, format: IngestFormat, options: IngestOptions, result: FileResult): AsyncGenerator<NoticeInput> {
  for await (const item of parseItems(format, source.stream(), options.gzip ?? DEFAULT_GZIP_LIMITS)) {
    if ('rejected' in item) {
      result.rejected.push({ ref: item.ref, reason: item.rejected });
      continue;
    }
    const parsed = noticeInputSchema.safeParse(item.notice);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      result.rejected.push({ ref: item.notice.sourceId ?? source.name, reason: `${issue.path.join('.')}: ${issue.message}` });
      continue;
    }
    yield parsed.data;
  }
}

/** Short write transactions over several files, with a pause after each. */
class Batch {
  private trx: OpenTransaction | null = null;
  private startedAt = 0;
  private committedAt = -Infinity;

  constructor(
    private readonly db: Db,
    readonly sliceMs: number,
    private readonly pauseMs: number,
  ) {}

  /** A savepoint for one file, in the open transaction or a new one (after the pause). */
  async beginFile() {
    if (!this.trx) {
      const wait = this.committedAt + this.pauseMs - performance.now();
      if (wait > 0) await sleep(wait);
      this.trx = await startWriteTransaction(this.db);
      this.startedAt = performance.now();
    }
    const trx = await this.trx.savepoint('file').execute();
    return {
      trx: trx as Db,
      done: () => trx.releaseSavepoint('file').execute(),
      undo: async () => {
        await trx.rollbackToSavepoint('file').execute();
        await trx.releaseSavepoint('file').execute();
      },
    };
  }

  /** The transaction has been open for a slice: commit at the next boundary. */
  get due(): boolean {
    return this.trx !== null && performance.now() - this.startedAt >= this.sliceMs;
  }

  async commit(): Promise<void> {
    if (!this.trx) return;
    await this.trx.commit().execute();
    this.trx = null;
    this.committedAt = performance.now();
  }

  async rollback(): Promise<void> {
    await this.trx?.rollback().execute();
    this.trx = null;
  }
}

export function totalsOf(files: FileResult[]): IngestSummary['totals'] {
  const sum = (pick: (f: FileResult) => number) => files.reduce((n, f) => n + pick(f), 0);
  return {
    files: files.length,
    new: sum((f) => f.new),
    updated: sum((f) => f.updated),
    unchanged: sum((f) => f.unchanged),
    rejected: sum((f) => f.rejected.length + (f.error ? 1 : 0)),
    rejectedFiles: sum((f) => (f.error ? 1 : 0)),
  };
}

async function* parseItems(format: IngestFormat, stream: Readable, gzip: GzipLimits): AsyncGenerator<ParsedItem> {
  if (format === 'ocds') return yield* parseOcds(stream);
  if (format === 'uhm') return yield* parseUhm(stream, gzip);
  yield { notice: parseEforms(await readText(stream)) };
}

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
