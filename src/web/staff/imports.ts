// Imports started from the staff page run beside the request, not inside it:
// the upload is answered at once (303 to the run's page), and the page shows
// how far the import has read the file until it shows the summary. Progress
// is the bytes the parser has pulled from the file (a big file is read twice:
// checked whole, then stored; see docs/importing.md), counted as it streams.
// Runs are kept in this process's memory (the latest RUNS_KEPT); a finished
// run is also written to the audit log (`import.run`), which is where the list
// of recent imports comes from.
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Db } from '../../../db/database.ts';
import { audit, type Actor } from '../../accounts/audit.ts';
import { newId } from '../../ids.ts';
import { ingestSource, type FileResult } from '../../ingest/ingest.service.ts';
import type { IngestFormat } from '../../ingest/detect.ts';
import type { IngestSource } from '../../ingest/sources.ts';
import type { GzipLimits } from '../../ingest/uhm.ts';

export type ImportRun = {
  id: string;
  file: string;
  size: number;
  userId: string | null;
  startedAt: string;
  finishedAt: string | null;
  state: 'running' | 'done' | 'failed';
  /** 1 while the file is read the first time, 2 when a big file is read again to be stored. */
  pass: number;
  bytesRead: number;
  result: FileResult | null;
};

const RUNS_KEPT = 50;
const CHUNK = 64 * 1024;

export type ImportDeps = {
  db: Db;
  log: Logger;
  gzip: GzipLimits;
  maxBytes: number;
  /** Told every file's result (the import metrics). */
  onResult: (result: FileResult) => void;
  /** Something was stored: the outbox has work. */
  onStored: () => void;
};

export class ImportRuns {
  private readonly runs = new Map<string, ImportRun>();

  constructor(private readonly deps: ImportDeps) {}

  get(id: string): ImportRun | undefined {
    return this.runs.get(id);
  }

  /** Runs still going, newest first. */
  running(): ImportRun[] {
    return [...this.runs.values()].filter((r) => r.state === 'running').reverse();
  }

  /** Starts importing `bytes`; the run is finished when the returned promise settles (its page polls meanwhile). */
  start(actor: Actor, name: string, bytes: Buffer, format: IngestFormat | 'auto'): { run: ImportRun; finished: Promise<void> } {
    const run: ImportRun = {
      id: newId(), file: name, size: bytes.length, userId: actor.userId, startedAt: new Date().toISOString(), finishedAt: null,
      state: 'running', pass: 0, bytesRead: 0, result: null,
    };
    this.runs.set(run.id, run);
    for (const id of this.runs.keys()) {
      if (this.runs.size <= RUNS_KEPT) break;
      if (this.runs.get(id)!.state !== 'running') this.runs.delete(id);
    }
    const finished = this.run(run, actor, bytes, format);
    return { run, finished };
  }

  private async run(run: ImportRun, actor: Actor, bytes: Buffer, format: IngestFormat | 'auto'): Promise<void> {
    const { db, log, gzip, maxBytes, onResult, onStored } = this.deps;
    try {
      const result = await ingestSource(db, countingSource(run, bytes), { format, maxBytes, gzip });
      run.result = result;
      run.state = 'done';
      onResult(result);
      if (result.new + result.updated > 0) onStored();
      await audit(db, actor, 'import.run', 'import', run.id, {
        file: run.file, bytes: run.size, format: result.format, new: result.new, updated: result.updated, unchanged: result.unchanged,
        rejected: result.rejected.length, error: result.error,
      });
    } catch (error) {
      // A database or I/O fault: slices already committed stay; importing the file again completes it.
      run.state = 'failed';
      log.error({ err: error, importId: run.id }, 'import from the staff page failed');
    } finally {
      run.finishedAt = new Date().toISOString();
      run.bytesRead = run.size;
    }
  }
}

/** The uploaded bytes as an ingest source whose streams count what the parser has read. */
function countingSource(run: ImportRun, bytes: Buffer): IngestSource {
  return {
    name: run.file,
    size: bytes.length,
    head: async () => bytes.subarray(0, 4096),
    stream: () => {
      run.pass++;
      run.bytesRead = 0;
      return Readable.from((function* () {
        for (let at = 0; at < bytes.length; at += CHUNK) {
          const chunk = bytes.subarray(at, at + CHUNK);
          run.bytesRead = at + chunk.length;
          yield chunk;
        }
      })());
    },
  };
}

/** Progress in whole per cent of the current reading. */
export const percentOf = (run: ImportRun): number => (run.size ? Math.min(100, Math.floor((run.bytesRead / run.size) * 100)) : 100);
