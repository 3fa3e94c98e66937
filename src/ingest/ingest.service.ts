// Ingest: a source's bytes → parser → zod → the notices service, one
// transaction per file, so a file that turns out bad stores nothing at all.
import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.ts';
import { noticeInputSchema, type NoticeInput } from '../notices/notice.schema.ts';
import { storeNotice } from '../notices/notices.service.ts';
import { detectFormat, type IngestFormat } from './detect.ts';
import { parseEforms } from './eforms.ts';
import { parseOcds, type ParsedItem } from './ocds.ts';
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

export async function ingestSource(db: Db, source: IngestSource, options: IngestOptions): Promise<FileResult> {
  const result: FileResult = { file: source.name, format: null, new: 0, updated: 0, unchanged: 0, rejected: [], error: null };
  try {
    if (source.size > options.maxBytes) {
      throw new RejectedError(`file too large: ${megabytes(source.size)} MB, the limit is ${megabytes(options.maxBytes)} MB`);
    }
    if (source.size === 0) throw new RejectedError('empty file');
    const format = options.format === 'auto' ? detectFormat(await source.head()) : options.format;
    if (!format) throw new RejectedError('unsupported format: not eForms XML, OCDS JSON or UHM statistics CSV');
    result.format = format;
    const run = async (tx: Db) => {
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
        if (options.dryRun) result.new++;
        else result[(await storeNotice(tx, parsed.data)).outcome]++;
      }
    };
    if (options.dryRun) await run(db);
    else await db.transaction().execute(run);
  } catch (error) {
    if (!(error instanceof RejectedError)) throw error;
    Object.assign(result, { new: 0, updated: 0, unchanged: 0, rejected: [], error: error.reason });
  }
  return result;
}

export async function ingestSources(db: Db, sources: AsyncIterable<IngestSource> | IngestSource[], options: IngestOptions & { onFile?: (r: FileResult) => void }): Promise<IngestSummary> {
  const files: FileResult[] = [];
  for await (const source of sources) {
    const result = await ingestSource(db, source, options);
    files.push(result);
    options.onFile?.(result);
  }
  return { files, totals: totalsOf(files) };
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
