import { createHash } from 'node:crypto';
import { ulid } from 'ulid';

/** Sortable, URL- and job-id-safe identifiers. */
export const newId = (): string => ulid();

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
