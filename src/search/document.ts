// From a stored notice to the flat SearchDocument both backends index, and
// the documents that feed the index job and `npm run reindex`.
import type { Db } from '../../db/database.ts';
import { cpvLabel } from '../domain/cpv.ts';
import { municipalityNuts3, type NoticePlace } from '../domain/regions.ts';
import type { PlaceResolver } from '../regions/notice-place.ts';
import { noticeCodes, type Criteria, type NoticeInput } from '../notices/notice.schema.ts';
import { storedDocument } from '../notices/notices.repo.ts';
import { activeNoticesAfter, noticesByIds } from './search.repo.ts';
import type { CsrFlag, SearchDocument } from './search.types.ts';
import { clean } from './text.ts';

/** A code and all its ancestors as 8-digit codes: 45214200 → 45000000, 45200000, 45210000, 45214000, 45214200. */
export function cpvClosure(code: string): string[] {
  const significant = code.replace(/0+$/, '');
  const out: string[] = [];
  for (let n = 2; n <= Math.max(2, significant.length); n++) out.push(code.slice(0, n).padEnd(8, '0'));
  return out;
}

/** Every region a place lies in: each NUTS code with its prefixes, each municipality with its county's NUTS. */
export function regionClosure(place: NoticePlace): string[] {
  const out = new Set<string>();
  const addNuts = (nuts: string) => {
    const code = nuts.toUpperCase();
    for (let n = 2; n <= code.length; n++) out.add(code.slice(0, n));
  };
  for (const nuts of place.nuts) addNuts(nuts);
  for (const municipality of place.municipalities) {
    out.add(municipality);
    const nuts3 = municipalityNuts3(municipality);
    if (nuts3) addNuts(nuts3);
  }
  return [...out].sort();
}

/** The Swedish and English names of these categories, as far as Brygga knows them (the full list after `npm run import:cpv`). */
export function cpvLabels(codes: Iterable<string>): string {
  const out = new Set<string>();
  for (const code of codes) {
    for (const lang of ['sv', 'en'] as const) {
      const label = cpvLabel(code, lang);
      if (label.exact && label.text) out.add(label.text);
    }
  }
  return [...out].join(' · ');
}

const SOCIAL_REQUIREMENTS = new Set(['collective-agreement', 'employment-requirement', 'fairtrade']);
const GREEN_REQUIREMENTS = new Set(['iso-14001', 'svanen', 'eu-ecolabel', 'organic', 'fossil-free-transport']);

/**
 * The CSR flags of the search filter: social (BT-775, soc-obj, social
 * requirements), environmental (BT-774, BT-805, env-imp, environmental
 * requirements), innovation (inn-pur), reserved (BT-71), SME-suitable (BT-726).
 */
export function csrFlags(c: Criteria): CsrFlag[] {
  const flags: CsrFlag[] = [];
  if (c.social.length || c.strategic.includes('soc-obj') || c.requirements.some((r) => SOCIAL_REQUIREMENTS.has(r))) flags.push('social');
  if (c.green.length || c.gpp.length || c.strategic.includes('env-imp') || c.requirements.some((r) => GREEN_REQUIREMENTS.has(r))) {
    flags.push('environmental');
  }
  if (c.strategic.includes('inn-pur')) flags.push('innovation');
  if (c.reserved.length) flags.push('reserved');
  if (c.smeSuitable === true) flags.push('sme');
  return flags;
}

/**
 * Whether a stored, active notice can be open at all, by the alert rule
 * (domain/alerts.ts): a contract or planning notice without winners that is
 * not a statistics record (UHM), with a deadline or a publication date. The
 * part that moves with time is statusOf's; search has no `status` of its own
 * (withdrawn notices leave the index).
 */
export function mayInvite(n: Pick<NoticeInput, 'source' | 'kind' | 'awards' | 'deadline' | 'publishedAt'>): boolean {
  return n.source !== 'uhm' && (n.kind === 'tender' || n.kind === 'planning') && n.awards.length === 0 && (n.deadline !== null || n.publishedAt !== null);
}

export type StoredNotice = {
  id: string;
  revision: number;
  createdAt: string;
  buyerId: string;
  notice: NoticeInput & { sourceId: string };
  place: NoticePlace;
};

/** Pure: the document of a stored, active notice. */
export function toSearchDocument({ id, revision, createdAt, buyerId, notice, place }: StoredNotice): SearchDocument {
  const codes = new Set(noticeCodes(notice).map((c) => c.code));
  const cpv = new Set<string>();
  for (const code of codes) for (const c of cpvClosure(code)) cpv.add(c);
  const lotTitles = notice.lots.map((l) => l.title).filter((t): t is string => Boolean(t));
  const value = notice.estimatedValue;
  return {
    id,
    revision,
    title: clean(notice.title),
    description: clean([notice.description ?? '', ...lotTitles].filter(Boolean).join(' · ')),
    buyerName: clean(notice.buyer.name),
    codes: [...codes, ...(notice.procedureId ? [notice.procedureId] : []), notice.sourceId].map(clean),
    labels: clean(cpvLabels(codes)),
    broaderLabels: clean(cpvLabels([...cpv].filter((c) => !codes.has(c)))),
    buyerId,
    buyerOrgNumber: notice.buyer.orgNumber,
    kind: notice.kind,
    procedure: notice.procedure,
    mainCpv: notice.cpv.main,
    cpv: [...cpv].sort(),
    cpvDivisions: [...new Set([...codes].map((c) => `${c.slice(0, 2)}000000`))].sort(),
    regions: regionClosure(place),
    awarded: notice.kind === 'award' || notice.awards.length > 0,
    invites: mayInvite(notice),
    deadline: notice.deadline,
    publishedAt: notice.publishedAt ?? createdAt,
    estimatedValue: value,
    valueSek: value && value.currency === 'SEK' ? value.amount : null,
    csr: csrFlags(notice.criteria),
  };
}

/**
 * The documents of these notices: a document for an active notice, null for a
 * withdrawn or deleted one (it leaves the index).
 */
export async function loadDocuments(db: Db, places: PlaceResolver, ids: string[]): Promise<Map<string, SearchDocument | null>> {
  const out = new Map<string, SearchDocument | null>(ids.map((id) => [id, null]));
  if (ids.length === 0) return out;
  const rows = await noticesByIds(db, ids);
  for (const row of rows) {
    if (row.status !== 'active') continue;
    const notice = storedDocument(row);
    out.set(
      row.id,
      toSearchDocument({ id: row.id, revision: row.revision, createdAt: row.created_at, buyerId: row.buyer_id, notice, place: await places.place(notice) }),
    );
  }
  return out;
}

/** Every active notice, in batches, oldest first (ids are ULIDs: creation order). */
export async function* activeDocuments(db: Db, places: PlaceResolver, batch = 500): AsyncIterable<SearchDocument[]> {
  let after = '';
  for (;;) {
    const rows = await activeNoticesAfter(db, after, batch);
    if (rows.length === 0) return;
    const docs: SearchDocument[] = [];
    for (const row of rows) {
      const notice = storedDocument(row);
      docs.push(
        toSearchDocument({ id: row.id, revision: row.revision, createdAt: row.created_at, buyerId: row.buyer_id, notice, place: await places.place(notice) }),
      );
    }
    yield docs;
    after = rows[rows.length - 1].id;
  }
}
