// Where ingested bytes come from: files on disk (the CLI) or a request body (the API).
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export type IngestSource = {
  name: string;
  size: number;
  /** The first bytes, for format detection. */
  head(): Promise<Buffer>;
  stream(): Readable;
};

const HEAD_BYTES = 4096;

export async function fileSource(path: string): Promise<IngestSource> {
  const { size } = await stat(path);
  return {
    name: path,
    size,
    async head() {
      const handle = await open(path);
      try {
        const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
        await handle.read(buffer, 0, buffer.length, 0);
        return buffer;
      } finally {
        await handle.close();
      }
    },
    stream: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
  };
}

export function bufferSource(name: string, bytes: Buffer): IngestSource {
  return {
    name,
    size: bytes.length,
    head: async () => bytes.subarray(0, HEAD_BYTES),
    stream: () => Readable.from([bytes]),
  };
}

/** The files named, folders walked recursively, in a stable order; hidden files and READMEs skipped. */
export async function expandPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || /^readme/i.test(entry.name)) continue;
      const child = join(path, entry.name);
      files.push(...(entry.isDirectory() ? await expandPaths([child]) : [child]));
    }
  }
  return files;
}
