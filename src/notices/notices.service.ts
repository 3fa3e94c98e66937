// Storing a notice: one transaction writes the notice, its children and an
// outbox row; the relay then queues indexing and matching.
import type { Db } from '../../db/database.ts';
import { contentHash, newId, nowIso } from '../ids.ts';
import { addToOutbox } from '../queue/outbox.ts';
import type { NoticeInput } from './notice.schema.ts';
import * as repo from './notices.repo.ts';

export type StoreOutcome = 'new' | 'updated' | 'unchanged';
export type StoreResult = { id: string; outcome: StoreOutcome; revision: number };

/**
 * Stores a validated notice. The same source and source id is the same notice:
 * identical content changes nothing, different content updates it. A local
 * notice without a source id is identified by its content, so posting the
 * same notice twice publishes it once.
 */
export async function storeNotice(db: Db, input: NoticeInput): Promise<StoreResult> {
  const hash = contentHash(input);
  const sourceId = input.sourceId ?? `sha256-${hash.slice(0, 32)}`;
  const notice = { ...input, sourceId };
  return db.transaction().execute(async (trx) => {
    const existing = await repo.findBySource(trx, notice.source, sourceId);
    if (existing && existing.content_hash === hash) {
      return { id: existing.id, outcome: 'unchanged', revision: existing.revision };
    }
    const buyerId = await repo.upsertBuyer(trx, notice.buyer);
    const now = nowIso();
    const columns = { ...repo.noticeColumns(notice, buyerId), content_hash: hash, updated_at: now };
    let result: StoreResult;
    if (existing) {
      result = { id: existing.id, outcome: 'updated', revision: existing.revision + 1 };
      await trx.updateTable('notices').set({ ...columns, revision: result.revision }).where('id', '=', existing.id).execute();
      await repo.deleteChildren(trx, existing.id);
    } else {
      result = { id: newId(), outcome: 'new', revision: 1 };
      await trx.insertInto('notices').values({ ...columns, id: result.id, revision: 1, status: 'active', created_at: now }).execute();
    }
    await repo.insertChildren(trx, result.id, notice);
    await addToOutbox(trx, { topic: 'notice.stored', payload: { noticeId: result.id, revision: result.revision } });
    return result;
  });
}
