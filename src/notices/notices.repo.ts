// Plain Kysely functions over the notice tables. No rules here: see the service.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { NoticeRow, NoticesTable } from '../../db/schema.ts';
import type { AlertFacts } from '../domain/alerts.ts';
import type { ChangeDetail, NoticeDiff } from '../domain/changes.ts';
import { newId, nowIso } from '../ids.ts';
import { NO_LINKS, noticeCodes, type Notice, type NoticeInput } from './notice.schema.ts';

export async function findBySource(db: Db, source: string, sourceId: string) {
  return db
    .selectFrom('notices')
    .selectAll()
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

export type { NoticeRow };

export async function findById(db: Db, id: string) {
  return db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The first stored notice of a procedure that is not an award notice: same
 * source, same procedure id, same buyer (by organisationsnummer, else by name).
 */
export async function findProcedureNotice(
  db: Db, source: string, procedureId: string, buyer: { name: string; orgNumber: string | null },
): Promise<NoticeRow | undefined> {
  return db
    .selectFrom('notices')
    .innerJoin('buyers', 'buyers.id', 'notices.buyer_id')
    .selectAll('notices')
    .where('notices.source', '=', source)
    .where('notices.procedure_id', '=', procedureId)
    .where('notices.kind', '!=', 'award')
    .where((eb) => (buyer.orgNumber ? eb('buyers.org_number', '=', buyer.orgNumber) : eb('buyers.name', '=', buyer.name)))
    .orderBy('notices.created_at')
    .executeTakeFirst();
}

export async function insertNotice(db: Db, values: Insertable<NoticesTable>): Promise<void> {
  await db.insertInto('notices').values(values).execute();
}

export async function updateNotice(db: Db, id: string, values: Updateable<NoticesTable>): Promise<void> {
  await db.updateTable('notices').set(values).where('id', '=', id).execute();
}

/** Records what made a revision: the fields, whether it was material, old → new, and why. */
export async function insertChange(
  db: Db, change: { noticeId: string; revision: number; sourceRef: string; diff: NoticeDiff; reason: string | null },
): Promise<void> {
  const { noticeId, revision, sourceRef, diff, reason } = change;
  await db
    .insertInto('notice_changes')
    .values({
      id: newId(), notice_id: noticeId, revision, source_ref: sourceRef, fields: JSON.stringify(diff.fields),
      material: Number(diff.material), details: JSON.stringify(diff.details), reason, created_at: nowIso(),
    })
    .execute();
}

export type MaterialChange = { revision: number; details: ChangeDetail[]; reason: string | null };

/** The material changes of a notice after revision `after`, up to `upTo` (else all), oldest first. */
export async function materialChangesSince(db: Db, noticeId: string, after: number, upTo?: number): Promise<MaterialChange[]> {
  const rows = await db
    .selectFrom('notice_changes')
    .select(['revision', 'details', 'reason'])
    .where('notice_id', '=', noticeId)
    .where('revision', '>', after)
    // No bound rather than a huge one: PostgreSQL's integer column refuses a parameter past 2^31.
    .$if(upTo !== undefined, (q) => q.where('revision', '<=', upTo!))
    .where('material', '=', 1)
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({ revision: r.revision, details: JSON.parse(r.details), reason: r.reason }));
}

/** Whether the notice changed materially after revision `after` (cheaper than reading the changes). */
export async function hasMaterialChangeSince(db: Db, noticeId: string, after: number): Promise<boolean> {
  const change = await db
    .selectFrom('notice_changes').select('id')
    .where('notice_id', '=', noticeId).where('material', '=', 1).where('revision', '>', after)
    .executeTakeFirst();
  return change !== undefined;
}

export async function listLatest(db: Db, limit: number) {
  return db
    .selectFrom('notices')
    .innerJoin('buyers', 'buyers.id', 'notices.buyer_id')
    .select([
      'notices.id', 'notices.title', 'notices.deadline', 'notices.published_at', 'notices.kind',
      'notices.created_at', 'buyers.name as buyer_name',
    ])
    .where('notices.status', '=', 'active')
    // Newest publications first: an imported history keeps its own (old) dates.
    .orderBy(sql`coalesce(notices.published_at, notices.created_at)`, 'desc')
    .orderBy('notices.id', 'desc')
    .limit(limit)
    .execute();
}

export async function findBuyer(db: Db, id: string) {
  return db.selectFrom('buyers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds the buyer by organisationsnummer, else by name; creates it when new. */
export async function upsertBuyer(db: Db, buyer: NoticeInput['buyer']): Promise<string> {
  let query = db.selectFrom('buyers').select('id');
  query = buyer.orgNumber
    ? query.where('org_number', '=', buyer.orgNumber)
    : query.where('name', '=', buyer.name).where('org_number', 'is', null);
  const existing = await query.executeTakeFirst();
  if (existing) return existing.id;
  const id = newId();
  await db
    .insertInto('buyers')
    .values({ id, name: buyer.name, org_number: buyer.orgNumber, nuts: buyer.nuts, created_at: nowIso() })
    .execute();
  return id;
}

/** The columns of `notices` derived from a notice; children are written separately. */
export function noticeColumns(input: NoticeInput & { sourceId: string }, buyerId: string) {
  return {
    source: input.source,
    source_id: input.sourceId,
    version: input.version,
    procedure_id: input.procedureId,
    kind: input.kind,
    title: input.title,
    description: input.description,
    language: input.language,
    buyer_id: buyerId,
    estimated_amount: input.estimatedValue?.amount ?? null,
    estimated_currency: input.estimatedValue?.currency ?? null,
    published_at: input.publishedAt,
    deadline: input.deadline,
    procedure: input.procedure,
    sme_suitable: input.criteria.smeSuitable === null ? null : Number(input.criteria.smeSuitable),
    reference: input.reference,
    document: JSON.stringify(input),
  };
}

const CHILD_TABLES = ['notice_cpv', 'notice_lots', 'notice_criteria', 'notice_places', 'awards'] as const;

export async function deleteChildren(db: Db, noticeId: string): Promise<void> {
  for (const table of CHILD_TABLES) await db.deleteFrom(table).where('notice_id', '=', noticeId).execute();
}

/** Writes the query-friendly copies of a notice's CPV codes, lots, criteria, places and awards. */
export async function insertChildren(db: Db, noticeId: string, input: NoticeInput): Promise<void> {
  const cpv = noticeCodes(input).map((c) => ({ notice_id: noticeId, code: c.code, lot_id: c.lotId, is_main: Number(c.isMain) }));
  await insertMany(db, 'notice_cpv', cpv);
  await insertMany(
    db,
    'notice_lots',
    uniqueBy(input.lots, (l) => l.id).map((lot) => ({
      notice_id: noticeId,
      lot_id: lot.id,
      title: lot.title,
      cpv_main: lot.cpv?.main ?? null,
      estimated_amount: lot.estimatedValue?.amount ?? null,
      estimated_currency: lot.estimatedValue?.currency ?? null,
    })),
  );
  const { smeSuitable: _sme, ...lists } = input.criteria;
  const criteria = Object.entries(lists).flatMap(([kind, codes]) =>
    [...new Set(codes)].map((code) => ({ notice_id: noticeId, kind, code })),
  );
  await insertMany(db, 'notice_criteria', criteria);
  const places = [...new Set(input.placeOfPerformance.nuts)].map((nuts) => ({ notice_id: noticeId, nuts }));
  await insertMany(db, 'notice_places', places);
  await insertMany(
    db,
    'awards',
    input.awards.map((a) => ({
      id: newId(),
      notice_id: noticeId,
      lot_id: a.lotId,
      winner_name: a.winner.name,
      winner_org_number: a.winner.orgNumber,
      winner_size: a.winner.size,
      winner_nuts: a.winner.nuts,
      winner_postal_code: a.winner.postalCode,
      amount: a.value?.amount ?? null,
      currency: a.value?.currency ?? null,
      tenders_received: a.tendersReceived,
      awarded_on: a.date ?? null,
    })),
  );
}

type ChildTable = (typeof CHILD_TABLES)[number];

async function insertMany<T extends ChildTable>(db: Db, table: T, rows: object[]): Promise<void> {
  // Chunks keep each statement well under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are built for this table above
    await db.insertInto(table).values(rows.slice(i, i + 500) as any).execute();
  }
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

/** The stored notice in the DESIGN.md shape, as it was input. */
export function storedDocument(row: NoticeRow): NoticeInput & { sourceId: string } {
  // Notices stored before `reference` and `links` existed lack them.
  const stored = JSON.parse(row.document) as Partial<NoticeInput>;
  return { ...stored, reference: stored.reference ?? null, links: stored.links ?? NO_LINKS, sourceId: row.source_id } as NoticeInput & { sourceId: string };
}

/** What the alert rule (domain/alerts.ts) needs of a stored notice. */
export function alertFacts(row: NoticeRow): AlertFacts {
  const awarded = row.kind === 'award' || (JSON.parse(row.document) as { awards?: unknown[] }).awards?.length;
  return { source: row.source, kind: row.kind, status: row.status, deadline: row.deadline, publishedAt: row.published_at, awarded: !!awarded };
}

/** A stored row as the API shows it: the DESIGN.md shape plus id and status. */
export function presentNotice(row: NoticeRow): Notice & { status: string; updatedAt: string } {
  return { id: row.id, ...storedDocument(row), status: row.status, updatedAt: row.updated_at };
}
