// A feed's first bytes decide how the rest is read (whole or streamed JSON,
// gzip or not, which CSV delimiter), yet the parser must still see every byte:
// read a head, then hand on the head followed by the unread rest.

export type Chunk = Buffer | string;

export interface Head<C extends Chunk> {
  /** The chunks read so far, as Buffers. */
  chunks: Buffer[];
  /** True when the input ended within the head. */
  ended: boolean;
  /** The unread rest of the input, chunks as the input gave them. */
  rest: AsyncIterator<C>;
}

/** Reads chunks until `enough` (asked after each) says so, or the input ends. */
export async function readHead<C extends Chunk>(input: AsyncIterable<C>, enough: (size: number, last: Buffer) => boolean): Promise<Head<C>> {
  const rest = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await rest.next();
    if (next.done) return { chunks, ended: true, rest };
    const value: Chunk = next.value;
    const chunk = typeof value === 'string' ? Buffer.from(value) : value;
    chunks.push(chunk);
    size += chunk.length;
    if (enough(size, chunk)) return { chunks, ended: false, rest };
  }
}

/** The head's chunks, then the rest of the input. */
export async function* concat<C extends Chunk>(head: Buffer[], rest: AsyncIterator<C>): AsyncGenerator<Buffer | C> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** The input with string chunks turned into Buffers. */
export async function* buffers(input: AsyncIterable<Chunk>): AsyncGenerator<Buffer> {
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}
