// What goes into a firm's daily or weekly digest: new matches, matched notices
// closing within 7 days, and material changes to notices it was told about.
import type { Db } from '../../db/database.ts';
import { isAlertable } from '../domain/match.ts';
import type { Item } from './ledger.ts';

export type Frequency = 'daily' | 'weekly';

const DAY = 24 * 3600 * 1000;
const stockholm = (now: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(now);

/** The digest period a moment falls in: 2026-11-27 (daily) or 2026-W48 (weekly, ISO weeks, Swedish time). */
export function periodOf(frequency: Frequency, now: Date): string {
  const day = stockholm(now);
  if (frequency === 'daily') return day;
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(date.getTime() + (3 - weekday) * DAY);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / DAY / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Firms with a confirmed address and an active subscription of this frequency. */
export async function digestRecipients(db: Db, frequency: Frequency): Promise<string[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .innerJoin('companies', 'companies.id', 'subscriptions.company_id')
    .select('companies.id')
    .distinct()
    .where('subscriptions.frequency', '=', frequency)
    .where('subscriptions.active', '=', 1)
    .where('companies.email_status', '=', 'confirmed')
    .execute();
  return rows.map((r) => r.id);
}

export async function digestItems(db: Db, companyId: string, frequency: Frequency, now: Date): Promise<Item[]> {
  const subscriptions = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('company_id', '=', companyId)
    .where('frequency', '=', frequency)
    .where('active', '=', 1)
    .execute();
  const ours = new Set(subscriptions.map((s) => s.id));
  if (ours.size === 0) return [];

  const matches = await db
    .selectFrom('matches')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .select(['notices.id', 'notices.kind', 'notices.deadline', 'notices.status', 'notices.revision', 'matches.subscription_ids'])
    .where('matches.company_id', '=', companyId)
    .execute();
  const told = new Map<string, { sections: Set<string>; revision: number }>();
  const items = await db.selectFrom('delivery_items').select(['notice_id', 'section', 'revision']).where('company_id', '=', companyId).execute();
  for (const i of items) {
    const entry = told.get(i.notice_id) ?? { sections: new Set<string>(), revision: 0 };
    entry.sections.add(i.section);
    entry.revision = Math.max(entry.revision, i.revision);
    told.set(i.notice_id, entry);
  }

  const result: Item[] = [];
  const soon = new Date(now.getTime() + 7 * DAY);
  for (const m of matches) {
    const heard = told.get(m.id);
    const viaUs = (JSON.parse(m.subscription_ids) as string[]).some((id) => ours.has(id));
    if (!heard?.sections.has('new')) {
      if (viaUs && isAlertable(m, now)) result.push({ noticeId: m.id, section: 'new', revision: m.revision });
      continue;
    }
    const closing = m.deadline !== null && isAlertable(m, now) && new Date(m.deadline) <= soon;
    if (closing && !heard.sections.has('closing')) result.push({ noticeId: m.id, section: 'closing', revision: m.revision });
    else if (m.revision > heard.revision && m.status === 'active') {
      const change = await db
        .selectFrom('notice_changes')
        .select('id')
        .where('notice_id', '=', m.id)
        .where('material', '=', 1)
        .where('revision', '>', heard.revision)
        .executeTakeFirst();
      if (change) result.push({ noticeId: m.id, section: 'changed', revision: m.revision });
    }
  }
  return result;
}
