// What goes into a firm's scheduled e-mails. Digests (daily, weekly): new
// matches, matched notices closing within 7 days, and material changes to
// notices it was told about. Reminders (daily): notices it was told about
// whose deadline is within its subscription's reminder days. A summary for a
// new subscription: the open notices it matches that the firm has not heard of.
// "New" and "closing" follow the alert rule of domain/alerts.ts.
import type { Db } from '../../db/database.ts';
import { alertKind, subscriptionTakes, type AlertKind } from '../domain/alerts.ts';
import { stockholmDate } from '../domain/dates.ts';
import { activeSubscriptions } from '../companies/companies.repo.ts';
import { alertFacts, hasMaterialChangeSince } from '../notices/notices.repo.ts';
import { heldNoticeIds, toldItems, type Item } from './ledger.repo.ts';
import { confirmedSubscribers, matchedNotices } from './mail.repo.ts';

export type Frequency = 'daily' | 'weekly' | 'reminder';

const DAY = 24 * 3600 * 1000;

/** The period a moment falls in: 2026-11-27 (daily, reminders) or 2026-W48 (weekly, ISO weeks, Swedish time). */
export function periodOf(frequency: Frequency, now: Date): string {
  const day = stockholmDate(now);
  if (frequency !== 'weekly') return day;
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(date.getTime() + (3 - weekday) * DAY);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / DAY / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Firms with a confirmed address and an active subscription of this frequency (or asking for reminders). */
export function digestRecipients(db: Db, frequency: Frequency): Promise<string[]> {
  return confirmedSubscribers(db, frequency === 'reminder' ? { reminders: true } : { frequency });
}

type Subscription = { id: string; frequency: string; kinds: string[]; reminderDays: number | null };

/** What the firm has been told about each notice: the sections, and the latest revision it saw. */
type Told = Map<string, { sections: Set<string>; revision: number }>;

/** Everything the rules below need about one firm, read once. */
async function firmState(db: Db, companyId: string) {
  const subs = await activeSubscriptions(db, companyId);
  const subscriptions = new Map<string, Subscription>(subs.map((s) => [
    s.id, { id: s.id, frequency: s.frequency, kinds: (JSON.parse(s.filters) as { kinds?: string[] }).kinds ?? [], reminderDays: s.reminder_days },
  ]));
  const matches = await matchedNotices(db, companyId);
  const told: Told = new Map();
  for (const i of await toldItems(db, companyId)) {
    const entry = told.get(i.notice_id) ?? { sections: new Set<string>(), revision: 0 };
    entry.sections.add(i.section);
    entry.revision = Math.max(entry.revision, i.revision);
    told.set(i.notice_id, entry);
  }
  const via = (m: (typeof matches)[number]) =>
    (JSON.parse(m.subscription_ids) as string[]).map((id) => subscriptions.get(id)).filter((s) => s !== undefined);
  return { matches, told, via };
}

/** Best first: highest score, then the soonest deadline (none last). */
function byScoreThenDeadline(a: { score: number; deadline: string | null }, b: { score: number; deadline: string | null }): number {
  return b.score - a.score || (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999');
}

const takenBy = (alert: AlertKind | null, subs: Subscription[]) => alert !== null && subs.some((s) => subscriptionTakes(s.kinds, alert));

export async function digestItems(db: Db, companyId: string, frequency: 'daily' | 'weekly', now: Date, maxAgeDays: number): Promise<Item[]> {
  const { matches, told, via } = await firmState(db, companyId);
  const fresh: typeof matches = [];
  const result: Item[] = [];
  const soon = new Date(now.getTime() + 7 * DAY);
  for (const m of matches.sort(byScoreThenDeadline)) {
    const heard = told.get(m.id);
    const alert = alertKind(alertFacts(m), now, maxAgeDays);
    if (!heard?.sections.has('new')) {
      if (takenBy(alert, via(m).filter((s) => s.frequency === frequency))) fresh.push(m);
      continue;
    }
    const closing = m.deadline !== null && alert !== null && new Date(m.deadline) <= soon;
    if (closing && !heard.sections.has('closing')) result.push({ noticeId: m.id, section: 'closing', revision: m.revision });
    else if (m.revision > heard.revision && (await hasMaterialChangeSince(db, m.id, heard.revision))) {
      result.push({ noticeId: m.id, section: 'changed', revision: m.revision });
    }
  }
  return [...fresh.map((m) => ({ noticeId: m.id, section: 'new' as const, revision: m.revision })), ...result];
}

/** Notices the firm was told about that close within the reminder days of a subscription that matched them. */
export async function reminderItems(db: Db, companyId: string, now: Date, maxAgeDays: number): Promise<Item[]> {
  const { matches, told, via } = await firmState(db, companyId);
  const result: Item[] = [];
  for (const m of matches.sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? ''))) {
    const heard = told.get(m.id);
    if (!heard?.sections.has('new') || heard.sections.has('reminder') || !m.deadline) continue;
    if (alertKind(alertFacts(m), now, maxAgeDays) === null) continue;
    const days = Math.max(0, ...via(m).map((s) => s.reminderDays ?? 0));
    if (days > 0 && new Date(m.deadline).getTime() - now.getTime() <= days * DAY) {
      result.push({ noticeId: m.id, section: 'reminder', revision: m.revision });
    }
  }
  return result;
}

/**
 * Open notices the firm's subscriptions match and the firm has not heard of,
 * stored by `asOf`: the summary for a new subscription or a confirmed address.
 * Notices stored later reach the firm as alerts or in its digests.
 */
export async function openingItems(db: Db, companyId: string, now: Date, maxAgeDays: number, asOf: string): Promise<Item[]> {
  const { matches, told, via } = await firmState(db, companyId);
  return matches
    .sort(byScoreThenDeadline)
    .filter((m) => m.created_at <= asOf && !told.get(m.id)?.sections.has('new') && takenBy(alertKind(alertFacts(m), now, maxAgeDays), via(m)))
    .map((m) => ({ noticeId: m.id, section: 'new', revision: m.revision }));
}


/**
 * What was held while the firm's address was suspended, for the one summary
 * after the suspension is lifted: the held notices still open that a
 * subscription of the firm still takes; the closed ones are dropped.
 */
export async function heldItems(db: Db, companyId: string, now: Date, maxAgeDays: number): Promise<Item[]> {
  const held = new Set(await heldNoticeIds(db, companyId));
  if (held.size === 0) return [];
  const { matches, via } = await firmState(db, companyId);
  return matches
    .sort(byScoreThenDeadline)
    .filter((m) => held.has(m.id) && takenBy(alertKind(alertFacts(m), now, maxAgeDays), via(m)))
    .map((m) => ({ noticeId: m.id, section: 'new', revision: m.revision }));
}
