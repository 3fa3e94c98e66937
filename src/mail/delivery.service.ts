// Sends what the ledger says is due: instant alerts, digests and address
// confirmations. The SMTP conversation happens outside any DB transaction.
import type { Db } from '../../db/database.ts';
import type { Reason } from '../domain/match.ts';
import type { Lang } from '../i18n/messages.ts';
import { t } from '../i18n/messages.ts';
import { storedDocument } from '../notices/notices.repo.ts';
import { digestItems, type Frequency } from './digest.ts';
import { claimDelivery, markAttemptFailed, markPermanentlyFailed, markSent, type Claim } from './ledger.ts';
import type { Mailer } from './mailer.ts';
import { renderAlert, renderConfirmation, renderDigest, type MailNotice, type Rendered, type UnsubscribeLink } from './templates.ts';
import { signToken } from './tokens.ts';

export type MailContext = { db: Db; mailer: Mailer; publicUrl: string; secret: string; suspendAfter: number };
export type DeliveryResult = 'sent' | 'already-sent' | 'nothing-to-send' | 'not-confirmed';

/** The SMTP server refused for good (5xx): retrying cannot help. */
export class PermanentMailError extends Error {}

/** 5xx answers are permanent; 4xx, refused connections and time-outs are worth a retry. */
export function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

async function company(db: Db, id: string) {
  return db.selectFrom('companies').select(['id', 'name', 'email', 'language', 'email_status']).where('id', '=', id).executeTakeFirst();
}

const langOf = (language: string): Lang => (language === 'en' ? 'en' : 'sv');

export async function sendInstantAlert(ctx: MailContext, job: { companyId: string; noticeId: string }): Promise<DeliveryResult> {
  const firm = await company(ctx.db, job.companyId);
  if (!firm) return 'nothing-to-send';
  if (firm.email_status !== 'confirmed') return 'not-confirmed';
  const match = await ctx.db
    .selectFrom('matches')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .select(['matches.subscription_id', 'notices.status', 'notices.revision'])
    .where('matches.company_id', '=', job.companyId)
    .where('matches.notice_id', '=', job.noticeId)
    .executeTakeFirst();
  if (!match || match.status !== 'active') return 'nothing-to-send';
  const claim = await claimDelivery(ctx.db, { companyId: firm.id, kind: 'instant', ref: job.noticeId }, () => [
    { noticeId: job.noticeId, section: 'new', revision: match.revision },
  ]);
  if (!claim || claim.status !== 'pending') return 'already-sent';

  const lang = langOf(firm.language);
  const [item] = await mailNotices(ctx, firm.id, [job.noticeId]);
  const unsubscribe = await unsubscribeLinks(ctx, firm.id, lang, match.subscription_id ? [match.subscription_id] : []);
  const message = renderAlert(lang, firm.name, item, unsubscribe.links);
  return deliver(ctx, claim, firm, message, unsubscribe.header);
}

export async function sendDigest(
  ctx: MailContext,
  job: { companyId: string; frequency: Frequency; period: string },
  now = new Date(),
): Promise<DeliveryResult> {
  const firm = await company(ctx.db, job.companyId);
  if (!firm) return 'nothing-to-send';
  if (firm.email_status !== 'confirmed') return 'not-confirmed';
  const claim = await claimDelivery(ctx.db, { companyId: firm.id, kind: job.frequency, ref: job.period }, (trx) =>
    digestItems(trx, firm.id, job.frequency, now),
  );
  if (!claim) return 'nothing-to-send';
  if (claim.status !== 'pending') return 'already-sent';

  const lang = langOf(firm.language);
  const notices = new Map((await mailNotices(ctx, firm.id, claim.items.map((i) => i.noticeId))).map((n) => [n.notice.id, n]));
  const section = (name: string) => claim.items.filter((i) => i.section === name).map((i) => notices.get(i.noticeId)!);
  const changed = await changedFields(ctx.db, claim);
  const sections = {
    new: section('new'),
    closing: section('closing'),
    changed: section('changed').map((n) => ({ ...n, changedFields: changed.get(n.notice.id) })),
  };
  const subscriptions = await ctx.db
    .selectFrom('subscriptions')
    .select('id')
    .where('company_id', '=', firm.id)
    .where('frequency', '=', job.frequency)
    .where('active', '=', 1)
    .execute();
  const unsubscribe = await unsubscribeLinks(ctx, firm.id, lang, subscriptions.map((s) => s.id), true);
  const message = renderDigest(lang, firm.name, job.frequency, job.period, sections, unsubscribe.links);
  return deliver(ctx, claim, firm, message, unsubscribe.header);
}

export async function sendConfirmation(ctx: MailContext, job: { companyId: string }): Promise<DeliveryResult> {
  const firm = await company(ctx.db, job.companyId);
  if (!firm || firm.email_status !== 'unconfirmed') return 'nothing-to-send';
  const claim = await claimDelivery(ctx.db, { companyId: firm.id, kind: 'confirm', ref: firm.email }, () => []);
  if (!claim || claim.status !== 'pending') return 'already-sent';
  const lang = langOf(firm.language);
  const url = `${ctx.publicUrl}/confirm/${signToken(ctx.secret, { p: 'confirm', c: firm.id })}`;
  return deliver(ctx, claim, firm, renderConfirmation(lang, firm.name, firm.email, url), null);
}

async function deliver(
  ctx: MailContext,
  claim: Claim,
  firm: { id: string; email: string },
  message: Rendered,
  unsubscribeUrl: string | null,
): Promise<DeliveryResult> {
  // The Message-ID is the ledger row's: should a crash repeat a send, the
  // copies carry the same id and mail clients fold them.
  const messageId = `<${claim.id}@brygga>`;
  const headers: Record<string, string> = unsubscribeUrl
    ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    : {};
  try {
    await ctx.mailer.send({ to: firm.email, messageId, headers, ...message });
  } catch (error) {
    const reason = String((error as Error).message);
    if (isPermanent(error)) {
      await markPermanentlyFailed(ctx.db, claim.id, firm.id, reason, ctx.suspendAfter);
      throw new PermanentMailError(reason);
    }
    await markAttemptFailed(ctx.db, claim.id, reason);
    throw error;
  }
  await markSent(ctx.db, claim.id, messageId);
  return 'sent';
}

async function mailNotices(ctx: MailContext, companyId: string, noticeIds: string[]): Promise<MailNotice[]> {
  if (noticeIds.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('notices')
    .leftJoin('matches', (join) => join.onRef('matches.notice_id', '=', 'notices.id').on('matches.company_id', '=', companyId))
    .selectAll('notices')
    .select('matches.reasons')
    .where('notices.id', 'in', noticeIds)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return noticeIds.map((id) => {
    const row = byId.get(id)!;
    return {
      notice: { id: row.id, ...storedDocument(row) },
      reasons: row.reasons ? (JSON.parse(row.reasons) as Reason[]) : [],
      url: `${ctx.publicUrl}/notices/${row.id}`,
    };
  });
}

async function changedFields(db: Db, claim: Claim): Promise<Map<string, string[]>> {
  const ids = claim.items.filter((i) => i.section === 'changed').map((i) => i.noticeId);
  if (ids.length === 0) return new Map();
  const changes = await db.selectFrom('notice_changes').select(['notice_id', 'fields']).where('notice_id', 'in', ids).where('material', '=', 1).execute();
  const fields = new Map<string, string[]>();
  for (const c of changes) fields.set(c.notice_id, [...new Set([...(fields.get(c.notice_id) ?? []), ...(JSON.parse(c.fields) as string[])])]);
  return fields;
}

/** Links to stop each subscription and all of them; the header link stops the first (or all, for digests). */
async function unsubscribeLinks(ctx: MailContext, companyId: string, lang: Lang, subscriptionIds: string[], headerForAll = false) {
  const url = (s: string) => `${ctx.publicUrl}/unsubscribe/${signToken(ctx.secret, { p: 'unsubscribe', c: companyId, s })}`;
  const names = subscriptionIds.length
    ? await ctx.db.selectFrom('subscriptions').select(['id', 'name']).where('id', 'in', subscriptionIds).execute()
    : [];
  const links: UnsubscribeLink[] = [
    ...names.map((s) => ({ label: t(lang, 'mail.unsubscribe.one', { name: s.name }), url: url(s.id) })),
    { label: t(lang, 'mail.unsubscribe.all'), url: url('*') },
  ];
  const header = headerForAll || names.length === 0 ? url('*') : url(names[0].id);
  return { links, header };
}

