// A notice's recorded changes (notice_changes), read for its page's history.
import type { Db } from '../../db/database.ts';
import type { ChangeDetail } from '../domain/changes.ts';

export type NoticeChange = { revision: number; fields: string[]; material: boolean; details: ChangeDetail[]; reason: string | null; at: string };

/** Every recorded change of a notice, oldest first. */
export async function listChanges(db: Db, noticeId: string): Promise<NoticeChange[]> {
  const rows = await db
    .selectFrom('notice_changes')
    .select(['revision', 'fields', 'material', 'details', 'reason', 'created_at'])
    .where('notice_id', '=', noticeId)
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({
    revision: r.revision, fields: JSON.parse(r.fields) as string[], material: r.material === 1,
    details: JSON.parse(r.details) as ChangeDetail[], reason: r.reason, at: r.created_at,
  }));
}
