// Storing a notice: one transaction writes the notice, its children, what
// changed and an outbox row; the relay then queues indexing and matching.
import { inTransaction, type Db } from '../../db/database.ts';
import { diffNotices, isOlderVersion, WITHDRAWAL, type NoticeDiff } from '../domain/changes.ts';
import { AppError, notFound } from '../http/errors.ts';
import { contentHash, newId, nowIso } from '../ids.ts';
import { addToOutbox } from '../queue/outbox.repo.ts';
import type { NoticeInput } from './notice.schema.ts';
import * as repo from './notices.repo.ts';
import type { NoticeRow } from './notices.repo.ts';

export type StoreOutcome = 'new' | 'updated' | 'unchanged';
export type StoreResult = { id: string; outcome: StoreOutcome; revision: number; material?: boolean; changed?: string[] };

type Stored = NoticeInput & { sourceId: string };

/**
 * An officer's notice is identified by its buyer and the buyer's own
 * reference (diarienummer): posting the same reference again corrects it.
 * Feeds bring their own ids.
 */
function identity(input: NoticeInput): string {
  if (input.sourceId) return input.sourceId;
  if (input.source !== 'local' || !input.reference) {
    throw new AppError(400, 'validation_failed', 'reference: a published notice needs the buyer’s own reference (diarienummer), e.g. "KS 2026/123"', [
      { path: 'reference', message: 'required' },
    ]);
  }
  const buyer = input.buyer.orgNumber ?? `name:${input.buyer.name.toLowerCase()}`;
  return `ref-${contentHash([buyer, input.reference.toLowerCase()]).slice(0, 32)}`;
}

/**
 * Stores a validated notice. The same source and source id is the same
 * notice: identical content or an older version changes nothing, anything else
 * updates it. A change notice updates the notice of its procedure, and an award
 * notice attaches its awards to it; without a known procedure both are kept on
 * their own. A local notice is identified by its buyer and reference.
 */
export async function storeNotice(db: Db, input: NoticeInput, now = new Date()): Promise<StoreResult> {
  const notice: Stored = { ...input, sourceId: identity(input) };
  // An officer's notice is published when it is posted, unless it says otherwise.
  if (notice.source === 'local' && !notice.publishedAt) notice.publishedAt = now.toISOString();
  return inTransaction(db, async (trx) => {
    const same = await repo.findBySource(trx, notice.source, notice.sourceId);
    // Versions order documents of one kind; an award's results attach whatever its version.
    const attachesAwards = notice.kind === 'award' && same?.kind !== 'award';
    if (same && !attachesAwards && isOlderVersion(notice.version, same.version)) return unchanged(same);
    const target = same ?? (await procedureNotice(trx, notice));
    if (!target) return insert(trx, notice);
    if (target.status === 'withdrawn') return unchanged(target); // a withdrawn notice stays withdrawn
    const current = repo.storedDocument(target);
    // A correction keeps the first publication date unless it gives one.
    if (notice.source === 'local' && !input.publishedAt) notice.publishedAt = current.publishedAt;
    return update(trx, target, merge(current, notice), `${notice.source}:${notice.sourceId}`);
  });
}

/** An officer's change to some fields of a stored notice. */
export async function patchNotice(db: Db, id: string, patch: (current: Stored) => NoticeInput): Promise<StoreResult> {
  return inTransaction(db, async (trx) => {
    const row = await repo.findById(trx, id);
    if (!row) throw notFound('Notice');
    if (row.source !== 'local') throw new AppError(409, 'not_editable', 'Imported notices change through their feed, not by hand');
    if (row.status === 'withdrawn') throw new AppError(409, 'withdrawn', 'The notice is withdrawn');
    const current = repo.storedDocument(row);
    return update(trx, row, { ...patch(current), sourceId: current.sourceId }, 'local:patch');
  });
}

/** Withdraws a notice: it leaves search, alerts stop, and firms already told hear of it (once). */
export async function withdrawNotice(db: Db, id: string, reason: string): Promise<StoreResult> {
  return inTransaction(db, async (trx) => {
    const row = await repo.findById(trx, id);
    if (!row) throw notFound('Notice');
    if (row.status === 'withdrawn') return unchanged(row);
    const revision = row.revision + 1;
    await repo.updateNotice(trx, row.id, { status: 'withdrawn', revision, updated_at: nowIso() });
    await recordChange(trx, row.id, revision, 'local:withdraw', WITHDRAWAL, reason);
    return { id: row.id, outcome: 'updated', revision, material: true, changed: WITHDRAWAL.fields };
  });
}

/** The new content of a stored notice once this notice is applied to it. */
function merge(current: Stored, notice: Stored): Stored {
  // An award notice adds its results to the procedure's notice.
  if (notice.kind === 'award' && current.kind !== 'award') return { ...current, awards: notice.awards };
  // A new version or a change notice replaces the content; results already known stay.
  return {
    ...notice,
    sourceId: current.sourceId,
    kind: notice.kind === 'change' ? current.kind : notice.kind,
    awards: notice.awards.length ? notice.awards : current.awards,
  };
}

/**
 * The notice a change or award notice belongs to: same source, same procedure,
 * same buyer (procedure ids are not unique across buyers in real feeds).
 */
async function procedureNotice(db: Db, notice: Stored): Promise<NoticeRow | undefined> {
  if (!notice.procedureId || (notice.kind !== 'change' && notice.kind !== 'award')) return undefined;
  return repo.findProcedureNotice(db, notice.source, notice.procedureId, notice.buyer);
}

const unchanged = (row: NoticeRow): StoreResult => ({ id: row.id, outcome: 'unchanged', revision: row.revision });

async function insert(db: Db, notice: Stored): Promise<StoreResult> {
  const id = newId();
  const now = nowIso();
  const buyerId = await repo.upsertBuyer(db, notice.buyer);
  await repo.insertNotice(db, {
    ...repo.noticeColumns(notice, buyerId), content_hash: contentHash(notice),
    id, revision: 1, status: 'active', created_at: now, updated_at: now,
  });
  await repo.insertChildren(db, id, notice);
  await addToOutbox(db, { topic: 'notice.stored', payload: { noticeId: id, revision: 1 } });
  return { id, outcome: 'new', revision: 1 };
}

async function update(db: Db, row: NoticeRow, notice: Stored, sourceRef: string): Promise<StoreResult> {
  const hash = contentHash(notice);
  if (hash === row.content_hash) return unchanged(row);
  const diff = diffNotices(repo.storedDocument(row), notice);
  const revision = row.revision + 1;
  const now = nowIso();
  const buyerId = await repo.upsertBuyer(db, notice.buyer);
  await repo.updateNotice(db, row.id, { ...repo.noticeColumns(notice, buyerId), content_hash: hash, revision, updated_at: now });
  await repo.deleteChildren(db, row.id);
  await repo.insertChildren(db, row.id, notice);
  await recordChange(db, row.id, revision, sourceRef, diff, null);
  return { id: row.id, outcome: 'updated', revision, material: diff.material, changed: diff.fields };
}

/** What changed and why, then the outbox row that re-indexes, re-matches and tells firms. */
async function recordChange(db: Db, noticeId: string, revision: number, sourceRef: string, diff: NoticeDiff, reason: string | null) {
  await repo.insertChange(db, { noticeId, revision, sourceRef, diff, reason });
  await addToOutbox(db, { topic: 'notice.stored', payload: { noticeId, revision } });
}
