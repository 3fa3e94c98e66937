// Sends what the ledger says is due: instant alerts, change notices, summaries
// for new subscriptions, closing reminders, digests and address
// confirmations. The SMTP conversation happens outside any DB transaction.
import type { Logger } from 'pino';
import { inTransaction, type Db } from '../../db/database.ts';
import { findUserById, usersOfCompany } from '../accounts/accounts.repo.ts';
import { activeSubscriptions, findCompany, recordPermanentFailure, resetPermanentFailures, subscriptionNames } from '../companies/companies.repo.ts';
import { alertKind } from '../domain/alerts.ts';
import type { Reason } from '../domain/match.ts';
import { formatDate, langOf, t, type Lang } from '../i18n/messages.ts';
import { alertFacts, findById, materialChangesSince, storedDocument } from '../notices/notices.repo.ts';
import { describeChanges } from './change-text.ts';
import { materialChange } from './changes.ts';
import { digestItems, heldItems, openingItems, reminderItems } from './digest.ts';
import * as ledger from './ledger.repo.ts';
import type { Claim, DeliveryKind, Item } from './ledger.repo.ts';
import { matchedSubscriptionIds, noticesWithReasons } from './mail.repo.ts';
import type { Mailer } from './mailer.ts';
import { counted, listed, render, renderConfirmation, renderRegistrationAttempt, type MailNotice, type Rendered, type Section, type UnsubscribeLink } from './templates.ts';
import { claimAccountMail, markAccountMail } from './account-mail.repo.ts';
import { CONFIRM_DAYS, signToken } from './tokens.ts';
import { LIFTED_PREFIX } from './suspensions.service.ts';
import type { SentMarks } from './sent-marks.ts';
import { newId } from '../ids.ts';
import { createLogger } from '../logger.ts';

export type MailContext = {
  db: Db; mailer: Mailer; publicUrl: string; secret: string; suspendAfter: number; alertMaxAgeDays: number;
  /** Where a relay fault is reported for staff (an error); a logger of its own when not given. */
  log?: Pick<Logger, 'error'>;
  /** What the relay accepted, kept outside SQLite (see sent-marks.ts); without it a crash after the relay's 250 may repeat a send. */
  sent?: SentMarks;
};
/** `held`: the firm's address is suspended; the alert waits for the summary after the suspension is lifted. */
export type DeliveryResult = 'sent' | 'already-sent' | 'nothing-to-send' | 'not-confirmed' | 'held';

/** The SMTP server refused for good (5xx): retrying cannot help. */
export class PermanentMailError extends Error {}

/** Another worker is sending this e-mail now: try again later (it is then sent, or its lease has run out). */
export class DeliveryBusyError extends Error {}

/** The relay rejects most recipients: its fault, not the firms'. Sending pauses; the job is retried later. */
export class RelayFaultError extends Error {}

/**
 * How long a claim holds without news from its worker: the sending worker
 * renews it every third of this while the SMTP conversation lasts, so a worker
 * that died (or froze) is taken over by another within this time.
 */
export const LEASE_MS = 15_000;

/**
 * When, within `windowMs`, the relay's latest answer was a 5xx for at least
 * `firms` different firms, and for at least `share` of the firms it answered,
 * it is the relay that fails: nobody's address is counted against, and
 * sending is retried later.
 */
export const RELAY_FAULT = { firms: 5, share: 0.8, windowMs: 60_000 };

/**
 * A 5xx counts against a firm only when it is repeated: the first is retried
 * (after the queue's back-off), by when a relay rejecting everyone has shown itself.
 */
export const REJECTIONS_TO_FAIL = 2;

/** 5xx answers are permanent; 4xx, refused connections and time-outs are worth a retry. */
export function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

type Firm = { id: string; name: string; email: string; lang: Lang; confirmRound: number; suspended: boolean };

/**
 * The firm, when its address may be mailed: confirmed (a suspended address
 * that was confirmed comes back `suspended`: what is due is held), or awaiting
 * confirmation (or suspended) for the confirmation itself.
 */
async function firmFor(db: Db, id: string, status: 'confirmed' | 'unconfirmed'): Promise<Firm | DeliveryResult> {
  const row = await findCompany(db, id);
  if (!row) return 'nothing-to-send';
  const suspended = row.email_status === 'suspended';
  const mailable = status === 'confirmed' ? row.email_status === 'confirmed' || (suspended && row.email_confirmed_at !== null) : row.email_status === 'unconfirmed' || suspended;
  if (!mailable) return status === 'confirmed' ? 'not-confirmed' : 'nothing-to-send';
  return { id: row.id, name: row.name, email: row.email, lang: langOf(row.language), confirmRound: row.confirm_round, suspended };
}

type Owned = Claim & { owner: string };

/**
 * Claims the ledger row, writing the items it will carry in the same
 * transaction; an existing row comes back as it is, so a retry sends exactly
 * what the first attempt meant to send. The row is then taken for this attempt
 * alone (pending → sending, with a lease): a second worker at the same time
 * gets a DeliveryBusyError and retries later. For a suspended address the row
 * is held instead.
 */
async function claim(ctx: MailContext, firm: Firm, kind: DeliveryKind, ref: string, items: (trx: Db) => Promise<Item[]> | Item[]) {
  const key = { companyId: firm.id, kind, ref };
  const owner = newId();
  const now = new Date();
  const claimed = await inTransaction(ctx.db, async (trx): Promise<Owned | DeliveryResult | 'busy'> => {
    let row = await ledger.findDelivery(trx, key);
    if (!row) {
      const content = await items(trx);
      if (kind !== 'confirm' && content.length === 0) return 'nothing-to-send';
      row = await ledger.insertDelivery(trx, key, content);
    }
    if (firm.suspended && kind !== 'confirm') return (await ledger.hold(trx, row.id, now)) || row.status === 'held' ? 'held' : settled(row.status);
    if (await ledger.takeLease(trx, row.id, owner, now, LEASE_MS)) return { ...row, owner };
    return row.status === 'sending' ? 'busy' : settled(row.status);
  });
  if (claimed === 'busy') throw new DeliveryBusyError(`Delivery ${kind} ${ref} is being sent by another worker`);
  return claimed;
}

/** What a row no longer pending says about this attempt. */
const settled = (status: string): DeliveryResult => (status === 'held' || status === 'released' ? 'held' : 'already-sent');

export async function sendInstantAlert(ctx: MailContext, job: { companyId: string; noticeId: string }, now = new Date()): Promise<DeliveryResult> {
  const firm = await firmFor(ctx.db, job.companyId, 'confirmed');
  if (typeof firm === 'string') return firm;
  const row = await findById(ctx.db, job.noticeId);
  // Decided again when sending: the notice may have closed, or been withdrawn, since it was matched.
  const alert = row ? alertKind(alertFacts(row), now, ctx.alertMaxAgeDays) : null;
  if (!row || !alert) return 'nothing-to-send';
  const claimed = await claim(ctx, firm, 'instant', job.noticeId, async (trx) =>
    (await ledger.toldAsNew(trx, firm.id, job.noticeId)) ? [] : [{ noticeId: job.noticeId, section: 'new', revision: row.revision }],
  );
  if (typeof claimed === 'string') return claimed;

  const [item] = await mailNotices(ctx, firm.id, [job.noticeId]);
  const planning = alert === 'planning';
  const title = item.notice.title;
  const subject = planning
    ? t(firm.lang, 'mail.alert.subjectPlanning', { title })
    : item.notice.deadline
      ? // Subject lines are short: the day only; the body gives the time, in Swedish time.
      t(firm.lang, 'mail.alert.subjectDeadline', { title, date: formatDate(item.notice.deadline, firm.lang) })
      : t(firm.lang, 'mail.alert.subject', { title });
  const intro = t(firm.lang, planning ? 'mail.alert.introPlanning' : 'mail.alert.intro', { company: firm.name });
  return deliverNotices(ctx, claimed, firm, subject, intro, [{ heading: null, items: [item], total: 1 }], await matchedSubscriptionIds(ctx.db, firm.id, [job.noticeId]));
}

/** One e-mail per material change of a notice the firm was alerted to, old → new in words. */
export async function sendChange(ctx: MailContext, job: { companyId: string; noticeId: string; revision: number }): Promise<DeliveryResult> {
  const firm = await firmFor(ctx.db, job.companyId, 'confirmed');
  if (typeof firm === 'string') return firm;
  const change = await materialChange(ctx.db, job.noticeId, job.revision);
  if (!change) return 'nothing-to-send';
  const claimed = await claim(ctx, firm, 'change', `${job.noticeId}-${job.revision}`, () => [
    { noticeId: job.noticeId, section: 'changed', revision: job.revision },
  ]);
  if (typeof claimed === 'string') return claimed;
  const [item] = await mailNotices(ctx, firm.id, [job.noticeId]);
  item.changes = describeChanges(change.details, change.reason, firm.lang);
  const withdrawn = change.details.some((d) => d.field === 'status' && d.after === 'withdrawn');
  const subject = t(firm.lang, withdrawn ? 'mail.withdrawn.subject' : 'mail.change.subject', { title: item.notice.title });
  const intro = t(firm.lang, withdrawn ? 'mail.withdrawn.intro' : 'mail.change.intro', { company: firm.name });
  return deliverNotices(ctx, claimed, firm, subject, intro, [{ heading: null, items: [item], total: 1 }], await matchedSubscriptionIds(ctx.db, firm.id, [job.noticeId]));
}

/** One e-mail listing the open notices a new subscription (or a newly confirmed firm) matches. */
export async function sendOpening(ctx: MailContext, job: { companyId: string; ref: string; asOf: string }, now = new Date()): Promise<DeliveryResult> {
  const firm = await firmFor(ctx.db, job.companyId, 'confirmed');
  if (typeof firm === 'string') return firm;
  // After a suspension is lifted (`lifted-<id>`): the alerts held meanwhile whose notices are still open; the held rows are released.
  const lifted = job.ref.startsWith(LIFTED_PREFIX);
  const claimed = await claim(ctx, firm, 'opening', job.ref, async (trx) => {
    if (!lifted) return openingItems(trx, firm.id, now, ctx.alertMaxAgeDays, job.asOf);
    const items = await heldItems(trx, firm.id, now, ctx.alertMaxAgeDays);
    await ledger.releaseHeld(trx, firm.id);
    return items;
  });
  if (typeof claimed === 'string') return claimed;
  const items = await mailNotices(ctx, firm.id, claimed.items.map((i) => i.noticeId));
  const subject = counted(firm.lang, lifted ? 'mail.held.subject' : 'mail.opening.subject', items.length);
  const intro = t(firm.lang, lifted ? 'mail.held.intro' : 'mail.opening.intro', { company: firm.name });
  const subscriptions = await matchedSubscriptionIds(ctx.db, firm.id, claimed.items.map((i) => i.noticeId));
  return deliverNotices(ctx, claimed, firm, subject, intro, [{ heading: null, items, total: items.length }], subscriptions);
}

/** At most one e-mail a day listing what the firm was told about that closes within its reminder days. */
export async function sendReminder(ctx: MailContext, job: { companyId: string; period: string }, now = new Date()): Promise<DeliveryResult> {
  const firm = await firmFor(ctx.db, job.companyId, 'confirmed');
  if (typeof firm === 'string') return firm;
  const claimed = await claim(ctx, firm, 'reminder', job.period, (trx) => reminderItems(trx, firm.id, now, ctx.alertMaxAgeDays));
  if (typeof claimed === 'string') return claimed;
  const items = await mailNotices(ctx, firm.id, claimed.items.map((i) => i.noticeId));
  const subject = items.length === 1
    ? t(firm.lang, 'mail.reminder.subject.one', { title: items[0].notice.title })
    : counted(firm.lang, 'mail.reminder.subject', items.length);
  const intro = t(firm.lang, 'mail.reminder.intro', { company: firm.name });
  const subscriptions = await matchedSubscriptionIds(ctx.db, firm.id, claimed.items.map((i) => i.noticeId));
  return deliverNotices(ctx, claimed, firm, subject, intro, [{ heading: null, items, total: items.length }], subscriptions);
}

export async function sendDigest(
  ctx: MailContext,
  job: { companyId: string; frequency: 'daily' | 'weekly'; period: string },
  now = new Date(),
): Promise<DeliveryResult> {
  const firm = await firmFor(ctx.db, job.companyId, 'confirmed');
  if (typeof firm === 'string') return firm;
  const claimed = await claim(ctx, firm, job.frequency, job.period, (trx) => digestItems(trx, firm.id, job.frequency, now, ctx.alertMaxAgeDays));
  if (typeof claimed === 'string') return claimed;

  const lang = firm.lang;
  const notices = new Map((await mailNotices(ctx, firm.id, claimed.items.map((i) => i.noticeId))).map((n) => [n.notice.id, n]));
  const told = await ledger.toldRevisions(ctx.db, firm.id, claimed.id);
  const sections = (['new', 'closing', 'changed'] as const).map((name) => {
    const items = claimed.items.filter((i) => i.section === name).map((i) => ({ ...notices.get(i.noticeId)! }));
    return { name, items };
  });
  for (const item of sections[2].items) {
    const changes = await materialChangesSince(ctx.db, item.notice.id, told.get(item.notice.id) ?? 0);
    item.changes = changes.flatMap((c) => describeChanges(c.details, c.reason, lang));
  }
  const present = sections.filter((s) => s.items.length);
  const summary = listed(lang, present.map((s) => counted(lang, `mail.digest.count.${s.name}`, s.items.length)));
  const shownPeriod = job.frequency === 'weekly' ? String(Number(job.period.split('-W')[1])) : job.period;
  const subject = t(lang, 'mail.digest.subject', { summary, period: t(lang, `mail.digest.period.${job.frequency}`, { period: shownPeriod }) });
  const subscriptions = (await activeSubscriptions(ctx.db, firm.id)).filter((s) => s.frequency === job.frequency);
  const parts: Section[] = present.map((s) => ({ heading: t(lang, `mail.digest.section.${s.name}`), items: s.items, total: s.items.length }));
  return deliverNotices(ctx, claimed, firm, subject, t(lang, 'mail.digest.intro', { company: firm.name }), parts, subscriptions.map((s) => s.id), true);
}

export async function sendConfirmation(ctx: MailContext, job: { companyId: string; round: number }): Promise<DeliveryResult> {
  const firm = await firmFor(ctx.db, job.companyId, 'unconfirmed');
  if (typeof firm === 'string') return firm;
  // An older round (the address changed, or the e-mail was sent again) is not sent.
  if (job.round !== firm.confirmRound) return 'nothing-to-send';
  const claimed = await claim(ctx, firm, 'confirm', String(job.round), () => []);
  if (typeof claimed === 'string') return claimed;
  const url = `${ctx.publicUrl}/confirm/${signToken(ctx.secret, { p: 'confirm', c: firm.id, r: firm.confirmRound, email: firm.email })}`;
  return deliver(ctx, claimed, firm, renderConfirmation(firm.lang, firm.name, firm.email, url, CONFIRM_DAYS), null);
}

/**
 * Someone registered a number already registered (the firm's owners are told)
 * or with an address that is already a user's (that address is told). At most
 * one such e-mail per firm or user a day, whatever the number of attempts.
 */
export async function sendRegistrationAttempt(
  ctx: MailContext, job: { kind: 'known-firm'; companyId: string; day: string } | { kind: 'known-address'; userId: string; day: string },
): Promise<DeliveryResult> {
  let to: string;
  let message: Rendered;
  if (job.kind === 'known-firm') {
    const company = await findCompany(ctx.db, job.companyId);
    if (!company) return 'nothing-to-send';
    const owners = (await usersOfCompany(ctx.db, company.id)).filter((u) => u.is_owner === 1).map((u) => u.email);
    to = (owners.length ? owners : [company.email]).join(', ');
    message = renderRegistrationAttempt(langOf(company.language), { firm: company.name });
  } else {
    const user = await findUserById(ctx.db, job.userId);
    if (!user) return 'nothing-to-send';
    const company = user.company_id ? await findCompany(ctx.db, user.company_id) : undefined;
    to = user.email;
    message = renderRegistrationAttempt(langOf(company?.language), { email: user.email });
  }
  const ref = `${job.kind === 'known-firm' ? job.companyId : job.userId}-${job.day}`;
  const claimed = await claimAccountMail(ctx.db, job.kind, ref);
  if (!claimed) return 'already-sent';
  try {
    await ctx.mailer.send({ to, messageId: `<${claimed.id}@brygga>`, ...message });
  } catch (error) {
    const permanent = isPermanent(error);
    await markAccountMail(ctx.db, claimed.id, { sent: false, error: String((error as Error).message), final: permanent });
    if (permanent) throw new PermanentMailError(String((error as Error).message));
    throw error;
  }
  await markAccountMail(ctx.db, claimed.id, { sent: true });
  return 'sent';
}

async function deliverNotices(
  ctx: MailContext, claimed: Owned, firm: Firm, subject: string, intro: string, sections: Section[], subscriptionIds: string[], headerForAll = false,
): Promise<DeliveryResult> {
  const unsubscribe = await unsubscribeLinks(ctx, firm, subscriptionIds, headerForAll);
  const moreUrl = `${ctx.publicUrl}/api/companies/${firm.id}/matches?status=open`;
  const message = render(firm.lang, { subject, intro, company: firm.name, sections, moreUrl, unsubscribe: unsubscribe.links });
  return deliver(ctx, claimed, firm, message, unsubscribe.header);
}

async function deliver(ctx: MailContext, claimed: Owned, firm: { id: string; email: string }, message: Rendered, unsubscribeUrl: string | null): Promise<DeliveryResult> {
  // The Message-ID is the ledger row's: should a crash repeat a send, the
  // copies carry the same id and mail clients fold them.
  const messageId = `<${claimed.id}@brygga>`;
  const headers: Record<string, string> = unsubscribeUrl
    ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    : {};
  // A worker that died after the relay accepted this row's e-mail: record the send, do not repeat it.
  if (await ctx.sent?.accepted(claimed.id).catch(() => false)) return recordSent(ctx, claimed, firm, messageId);
  const renew = setInterval(() => {
    ledger.renewLease(ctx.db, claimed.id, claimed.owner, new Date(Date.now() + LEASE_MS)).catch(() => undefined);
  }, LEASE_MS / 3);
  try {
    await ctx.mailer.send({ to: firm.email, messageId, headers, acceptedMark: ctx.sent?.key(claimed.id), ...message });
  } catch (error) {
    clearInterval(renew);
    const reason = String((error as Error).message);
    if (!isPermanent(error)) {
      await ledger.markAttemptFailed(ctx.db, claimed.id, claimed.owner, reason);
      throw error;
    }
    const verdict = await judgeRejection(ctx, claimed, firm.id, reason);
    if (verdict === 'relay') throw new RelayFaultError(`The mail relay rejects most recipients (${reason}); sending pauses and is retried`);
    if (verdict === 'retry') throw new MailRejectedError(reason);
    throw new PermanentMailError(reason);
  }
  clearInterval(renew);
  // The SMTP thread set the mark as the relay answered; this one is for the file outbox. Best
  // effort: Redis down now means the queues are down too, and the ledger write below still follows.
  await ctx.sent?.mark(claimed.id).catch(() => undefined);
  return recordSent(ctx, claimed, firm, messageId);
}

async function recordSent(ctx: MailContext, claimed: Owned, firm: { id: string }, messageId: string): Promise<DeliveryResult> {
  await inTransaction(ctx.db, async (trx) => {
    await ledger.markSent(trx, claimed.id, messageId);
    // The address takes e-mail: earlier permanent failures no longer count towards a suspension.
    await resetPermanentFailures(trx, firm.id);
  });
  return 'sent';
}

/** A first 5xx for a row: retried once before it counts against the firm. */
export class MailRejectedError extends Error {}

/**
 * A 5xx: the relay's fault when it rejects most firms just now (nothing
 * counted, the row stays pending, staff are told); otherwise a first rejection
 * of the row is retried, a repeated one fails the row for good and counts
 * towards suspending the address.
 */
async function judgeRejection(ctx: MailContext, claimed: Owned, companyId: string, reason: string): Promise<'relay' | 'retry' | 'permanent'> {
  const now = new Date();
  const verdict = await inTransaction(ctx.db, async (trx) => {
    await ledger.recordRejection(trx, companyId, now);
    const recent = await ledger.relaySince(trx, new Date(now.getTime() - RELAY_FAULT.windowMs));
    if (recent.rejectedFirms >= RELAY_FAULT.firms && recent.rejectedFirms >= RELAY_FAULT.share * (recent.rejectedFirms + recent.acceptedFirms)) {
      await ledger.markAttemptFailed(trx, claimed.id, claimed.owner, reason);
      return { verdict: 'relay' as const, recent };
    }
    if (claimed.rejections + 1 < REJECTIONS_TO_FAIL) {
      await ledger.markAttemptFailed(trx, claimed.id, claimed.owner, reason, true);
      return { verdict: 'retry' as const, recent };
    }
    // Recorded, never retried; enough of them, with no success between, suspend the address.
    await ledger.markFailed(trx, claimed.id, reason);
    await recordPermanentFailure(trx, companyId, ctx.suspendAfter);
    return { verdict: 'permanent' as const, recent };
  });
  if (verdict.verdict === 'relay') reportRelayFault(ctx, verdict.recent, reason, now);
  return verdict.verdict;
}

const lastReported = new WeakMap<MailContext, number>();
let ownLog: Pick<Logger, 'error'> | undefined;

/** At most once a window per process: an error in the log, for staff and their alerting. */
function reportRelayFault(ctx: MailContext, recent: { rejectedFirms: number; acceptedFirms: number }, reason: string, now: Date) {
  if (now.getTime() - (lastReported.get(ctx) ?? 0) < RELAY_FAULT.windowMs) return;
  lastReported.set(ctx, now.getTime());
  const log = ctx.log ?? (ownLog ??= createLogger(process.env.LOG_LEVEL ?? 'info'));
  log.error(
    { relayFault: { ...recent, windowMs: RELAY_FAULT.windowMs }, reason: reason.slice(0, 200) },
    'mail relay fault: it rejects most recipients; no address is counted against, sending pauses and is retried',
  );
}

async function mailNotices(ctx: MailContext, companyId: string, noticeIds: string[]): Promise<MailNotice[]> {
  if (noticeIds.length === 0) return [];
  const rows = await noticesWithReasons(ctx.db, companyId, noticeIds);
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

/** Links to stop each subscription and all of them; the header link stops the first (or all, for digests). */
async function unsubscribeLinks(ctx: MailContext, firm: Firm, subscriptionIds: string[], headerForAll = false) {
  const { lang } = firm;
  // Bound to the address it goes to: after the firm changes address, these links stop working.
  const url = (s: string) => `${ctx.publicUrl}/unsubscribe/${signToken(ctx.secret, { p: 'unsubscribe', c: firm.id, s, email: firm.email })}`;
  const names = subscriptionIds.length
    ? (await subscriptionNames(ctx.db, subscriptionIds)).filter((s) => s.active === 1)
    : [];
  const links: UnsubscribeLink[] = [
    ...names.map((s) => ({ label: t(lang, 'mail.unsubscribe.one', { name: s.name }), url: url(s.id) })),
    { label: t(lang, 'mail.unsubscribe.all'), url: url('*') },
  ];
  const header = headerForAll || names.length === 0 ? url('*') : url(names[0].id);
  return { links, header };
}
