import { createHash, randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/**
 * A ULID: 48 bits of milliseconds and 80 random bits in Crockford base 32.
 * Sortable by creation time, URL- and job-id-safe. Random bytes come from a
 * pool, since one system call per id showed up on the ingest path.
 */
export function newId(now = Date.now()): string {
  let id = '';
  for (let i = 9, t = now; i >= 0; i--, t = Math.floor(t / 32)) id = CROCKFORD[t % 32] + id;
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  for (let i = 0; i < 16; i++) id += CROCKFORD[pool[poolOffset++] & 31];
  return id;
}

export const nowIso = (): string => new Date().toISOString();

/** Stable hash of a JSON value: key order does not matter. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
