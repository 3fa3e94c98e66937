// Which fields of a notice changed between two versions, and whether the
// change is material: a firm that planned a bid must hear about it.
import type { NoticeInput } from '../notices/notice.schema.ts';

const MATERIAL = new Set(['deadline', 'estimatedValue', 'cpv', 'lots.cpv', 'lots.estimatedValue', 'status']);

export type NoticeDiff = { fields: string[]; material: boolean };

export function diffNotices(before: NoticeInput, after: NoticeInput): NoticeDiff {
  const fields: string[] = [];
  for (const key of Object.keys(after) as (keyof NoticeInput)[]) {
    if (key === 'sourceId' || key === 'version') continue;
    if (key === 'lots') {
      for (const part of ['title', 'cpv', 'estimatedValue'] as const) {
        const pick = (n: NoticeInput) => JSON.stringify(n.lots.map((l) => [l.id, l[part]]));
        if (pick(before) !== pick(after)) fields.push(`lots.${part}`);
      }
      if (before.lots.length !== after.lots.length && !fields.includes('lots.cpv')) fields.push('lots');
      continue;
    }
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) fields.push(key);
  }
  return { fields, material: fields.some((f) => MATERIAL.has(f)) };
}

/** eForms versions ("01", "02") and OCDS dates both compare in natural order. */
export function isOlderVersion(incoming: string | null, stored: string | null): boolean {
  if (!incoming || !stored) return false;
  return incoming.localeCompare(stored, 'en', { numeric: true }) < 0;
}
