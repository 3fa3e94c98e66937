// Which fields of a notice changed between two versions, and whether the
// change is material: a firm that planned a bid must hear about it. For the
// material fields the values before and after are kept, so e-mail can say
// "Sista anbudsdag: 29 januari → 12 februari" rather than a field name.

type Money = { amount: number; currency: string };
type CpvSet = { main: string; additional: string[] };

/** The parts of a notice a diff reads (the notice shape of DESIGN.md). */
export type Diffable = {
  deadline: string | null;
  estimatedValue: Money | null;
  cpv: CpvSet;
  lots: { id: string; title: string | null; cpv: CpvSet | null; estimatedValue: Money | null }[];
  links?: { documents: string | null; submission: string | null; source: string | null };
  [key: string]: unknown;
};

export const MATERIAL_FIELDS = ['deadline', 'estimatedValue', 'cpv', 'lots.cpv', 'lots.estimatedValue', 'links.documents', 'status'] as const;
export type MaterialField = (typeof MATERIAL_FIELDS)[number];
const MATERIAL = new Set<string>(MATERIAL_FIELDS);

export type ChangeDetail = { field: MaterialField; before: unknown; after: unknown };
export type NoticeDiff = { fields: string[]; material: boolean; details: ChangeDetail[] };

const IGNORED = new Set(['sourceId', 'version']);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function diffNotices(before: Diffable, after: Diffable): NoticeDiff {
  const fields: string[] = [];
  const details: ChangeDetail[] = [];
  const record = (field: string, a: unknown, b: unknown) => {
    if (same(a, b)) return;
    fields.push(field);
    if (MATERIAL.has(field)) details.push({ field: field as MaterialField, before: a ?? null, after: b ?? null });
  };
  for (const key of Object.keys(after)) {
    if (IGNORED.has(key)) continue;
    if (key === 'lots') {
      for (const part of ['title', 'cpv', 'estimatedValue'] as const) {
        const pick = (n: Diffable) => n.lots.map((l) => ({ id: l.id, title: l.title, value: l[part] }));
        record(`lots.${part}`, pick(before), pick(after));
      }
      if (before.lots.length !== after.lots.length && !fields.includes('lots.cpv')) fields.push('lots');
    } else if (key === 'links') {
      const links = (n: Diffable) => n.links ?? { documents: null, submission: null, source: null };
      for (const part of ['documents', 'submission', 'source'] as const) record(`links.${part}`, links(before)[part], links(after)[part]);
    } else {
      record(key, before[key], after[key]);
    }
  }
  return { fields, material: details.length > 0, details };
}

/** A withdrawal, as a change: material, with the officer's reason beside it. */
export const WITHDRAWAL: NoticeDiff = {
  fields: ['status'], material: true, details: [{ field: 'status', before: 'active', after: 'withdrawn' }],
};

/** eForms versions ("01", "02") and OCDS dates both compare in natural order. */
export function isOlderVersion(incoming: string | null, stored: string | null): boolean {
  if (!incoming || !stored) return false;
  return incoming.localeCompare(stored, 'en', { numeric: true }) < 0;
}
