// Instant alerts with a delivery ledger: one row per (firm, notice, kind),
// claimed before sending and marked sent after. A retry finds the row and
// does not send again once it is marked sent.
import type { Db } from '../../db/database.ts';
import type { Reason } from '../domain/match.ts';
import type { Lang } from '../i18n/messages.ts';
import { newId, nowIso } from '../ids.ts';
import { presentNotice } from '../notices/notices.repo.ts';
import { renderAlert } from './alert.template.ts';
import type { Mailer } from './mailer.ts';

export type NotifyResult = 'sent' | 'already-sent' | 'nothing-to-send';

export async function sendInstantAlert(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  job: { companyId: string; noticeId: string },
): Promise<NotifyResult> {
  const row = await db
    .selectFrom('matches')
    .innerJoin('companies', 'companies.id', 'matches.company_id')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .selectAll('notices')
    .select(['companies.name as company_name', 'companies.email', 'companies.language as company_language', 'matches.reasons'])
    .where('matches.company_id', '=', job.companyId)
    .where('matches.notice_id', '=', job.noticeId)
    .executeTakeFirst();
  if (!row || row.status !== 'active') return 'nothing-to-send';

  const delivery = await claimDelivery(db, job.companyId, job.noticeId, 'instant');
  if (delivery.status === 'sent') return 'already-sent';

  const lang: Lang = row.company_language === 'en' ? 'en' : 'sv';
  const notice = presentNotice(row);
  const content = renderAlert({
    lang,
    companyName: row.company_name,
    notice,
    reasons: JSON.parse(row.reasons) as Reason[],
    url: `${publicUrl}/notices/${notice.id}`,
  });
  // The Message-ID is the delivery's: should a crash repeat a send, the copies
  // carry the same id and mail clients can fold them.
  const messageId = `<${delivery.id}@brygga>`;
  try {
    await mailer.send({ to: row.email, messageId, ...content });
  } catch (error) {
    await db
      .updateTable('deliveries')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), error: String((error as Error).message).slice(0, 500) }))
      .where('id', '=', delivery.id)
      .execute();
    throw error;
  }
  await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'sent', sent_at: nowIso(), message_id: messageId, error: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', delivery.id)
    .execute();
  return 'sent';
}

async function claimDelivery(db: Db, companyId: string, noticeId: string, kind: string) {
  await db
    .insertInto('deliveries')
    .values({ id: newId(), company_id: companyId, notice_id: noticeId, kind, status: 'pending', created_at: nowIso(), message_id: null, error: null, sent_at: null })
    .onConflict((oc) => oc.columns(['company_id', 'notice_id', 'kind']).doNothing())
    .execute();
  return db
    .selectFrom('deliveries')
    .select(['id', 'status'])
    .where('company_id', '=', companyId)
    .where('notice_id', '=', noticeId)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
}
