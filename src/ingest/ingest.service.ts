// Ingest: a source's bytes → parser → zod → the notices service, one
// transaction per file, so a file that turns out bad stores nothing at all.
import type { Readable } from 'node:stream';
import type { Db, OpenTransaction } from '../../db/database.ts';
import { noticeInputSchema, type NoticeInput } from '../notices/notice.schema.ts';
import { storeNotice } from '../notices/notices.service.ts';
import { detectFormat, type IngestFormat } from './detect.ts';
import { parseEforms } from './eforms.ts';
import { parseOcds } from './ocds.ts';
import type { ParsedItem } from './parsed.ts';
import { RejectedError } from './rejected.ts';
import type { IngestSource } from './sources.ts';
import { parseUhm } from './uhm.ts';

export type IngestOptions = {
  format: IngestFormat | 'auto';
  dryRun?: boolean;
  maxBytes: number;
  /** Called with every valid notice (for --dry-run --json). */
  onNotice?: (notice: NoticeInput) => void;
};

export type FileResult = {
  file: string;
  format: IngestFormat | null;
  new: number;
  updated: number;
  unchanged: number;
  /** Notices refused inside an otherwise good file, and why. */
  rejected: { ref: string; reason: string }[];
  /** Set when the whole file was refused; then nothing of it was stored. */
  error: string | null;
};

export type IngestSummary = {
  files: FileResult[];
  totals: { files: number; new: number; updated: number; unchanged: number; rejected: number; rejectedFiles: number };
};

/** Ingests one source in its own transaction. */
export async function ingestSource(db: Db, source: IngestSource, options: IngestOptions): Promise<FileResult> {
  return (await ingestSources(db, [source], options)).files[0];
}

/**
 * Ingests sources one after the other. Files share a transaction for speed
 * (a commit costs more than storing a small notice), but each file runs in a
 * savepoint of its own: a file that turns out bad is rolled back alone.
 */
export async function ingestSources(
  db: Db,
  sources: AsyncIterable<IngestSource> | Iterable<IngestSource>,
  options: IngestOptions & { onFile?: (result: FileResult) => void },
): Promise<IngestSummary> {
  const files: FileResult[] = [];
  const batch = options.dryRun ? null : new Batch(db);
  try {
    for await (const source of sources) {
      const result = await ingestFile(batch, source, options);
      files.push(result);
      options.onFile?.(result);
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
  const file = await batch?.beginFile();
  try {
    if (source.size > options.maxBytes) {
      throw new RejectedError(`file too large: ${megabytes(source.size)} MB, the limit is ${megabytes(options.maxBytes)} MB`);
    }
    if (source.size === 0) throw new RejectedError('empty file');
    const format = options.format === 'auto' ? detectFormat(await source.head()) : options.format;
    if (!format) throw new RejectedError('unsupported format: not eForms XML, OCDS JSON or UHM statistics CSV');
    result.format = format;
    for await (const item of parseItems(format, source.stream())) {
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
      options.onNotice?.(parsed.data);
      if (file) result[(await storeNotice(file.trx, parsed.data)).outcome]++;
      else result.new++;
    }
    await file?.done();
  } catch (error) {
    if (!(error instanceof RejectedError)) throw error;
    await file?.undo();
    Object.assign(result, { new: 0, updated: 0, unchanged: 0, rejected: [], error: error.reason });
  }
  await batch?.commitIfDue();
  return result;
}

/** A transaction spanning several files, committed every so often. */
class Batch {
  private trx: OpenTransaction | null = null;
  private startedAt = 0;

  constructor(private readonly db: Db) {}

  async beginFile() {
    if (!this.trx) {
      this.trx = await this.db.startTransaction().execute();
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

  /** Commits after a while, so a long run's work becomes visible (and relayed) as it goes. */
  async commitIfDue(maxMs = 500): Promise<void> {
    if (this.trx && performance.now() - this.startedAt > maxMs) await this.commit();
  }

  async commit(): Promise<void> {
    await this.trx?.commit().execute();
    this.trx = null;
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

async function* parseItems(format: IngestFormat, stream: Readable): AsyncGenerator<ParsedItem> {
  if (format === 'ocds') return yield* parseOcds(stream);
  if (format === 'uhm') return yield* parseUhm(stream);
  yield { notice: parseEforms(await readText(stream)) };
}

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
