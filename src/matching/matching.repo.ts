// The matching tables: what the match engine loads, the matches it records,
// and a firm's matches as the API lists them.
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { CpvCandidates } from '../domain/match.ts';
import { newId, nowIso } from '../ids.ts';

const DAY = 24 * 3600 * 1000;

/**
 * A notice that invites firms now, the rule of domain/alerts.ts in SQL (for
 * filtering and ordering; the caller applies that rule to each row it shows).
 */
function isOpen(eb: ExpressionBuilder<Database, 'notices'>, now: Date, maxAgeDays: number) {
  const since = new Date(now.getTime() - maxAgeDays * DAY).toISOString();
  return eb.and([
    eb('notices.status', '=', 'active'),
    eb('notices.source', '!=', 'uhm'),
    eb('notices.kind', 'in', ['tender', 'planning']),
    eb.not(eb.exists(eb.selectFrom('awards').select('awards.id').whereRef('awards.notice_id', '=', 'notices.id'))),
    eb.or([
      eb('notices.deadline', '>', now.toISOString()),
      eb.and([eb('notices.deadline', 'is', null), eb('notices.published_at', '>=', since)]),
    ]),
  ]);
}

export type MatchesPage = { status: 'open' | 'closed' | 'all'; page: number; pageSize: number; now: Date; maxAgeDays: number };

/**
 * A firm's matches, a page at a time: open notices first, soonest deadline
 * first; then closed ones, most recently closed first; by score within a deadline.
 */
export async function matchesForCompany(db: Db, companyId: string, q: MatchesPage) {
  const listed = db
    .selectFrom('matches')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .where('matches.company_id', '=', companyId)
    .select((eb) => [
      'matches.notice_id', 'matches.score', 'matches.reasons', 'matches.missing', 'matches.subscription_id', 'matches.created_at',
      'notices.title', 'notices.deadline', 'notices.published_at', 'notices.source', 'notices.kind', 'notices.status as notice_status',
      eb.exists(eb.selectFrom('awards').select('awards.id').whereRef('awards.notice_id', '=', 'notices.id')).as('awarded'),
      eb.case().when(isOpen(eb, q.now, q.maxAgeDays)).then(1).else(0).end().as('open'),
    ]);
  let filtered = db.selectFrom(listed.as('m'));
  if (q.status !== 'all') filtered = filtered.where('m.open', '=', q.status === 'open' ? 1 : 0);
  const [count, rows] = await Promise.all([
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    filtered
      .selectAll()
      .orderBy('m.open', 'desc')
      .orderBy((eb) => eb('m.deadline', 'is', null)) // without a deadline: last
      .orderBy((eb) => eb.case().when('m.open', '=', 1).then(eb.ref('m.deadline')).end()) // open: soonest first
      .orderBy('m.deadline', 'desc') // closed: most recently closed first
      .orderBy('m.score', 'desc')
      .orderBy('m.notice_id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function companyExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Engines reload their index when this number moves. */
export async function subscriptionsRevision(db: Db): Promise<number> {
  const row = await db.selectFrom('revisions').select('value').where('name', '=', 'subscriptions').executeTakeFirst();
  return row?.value ?? 0;
}

/** Everything the match index is built from: active subscriptions with their codes, and every firm with its capabilities. */
export async function loadMatchData(db: Db) {
  const [subscriptions, codes, capabilities, companies] = await Promise.all([
    db.selectFrom('subscriptions').select(['id', 'company_id', 'frequency', 'filters']).where('active', '=', 1).execute(),
    db.selectFrom('subscription_cpv').select(['subscription_id', 'code']).execute(),
    db.selectFrom('company_capabilities').select(['company_id', 'capability', 'valid_until']).execute(),
    db.selectFrom('companies').select(['id', 'municipality_code']).execute(),
  ]);
  return { subscriptions, codes, capabilities, companies };
}

/** Notices that may invite firms now (the rule of domain/alerts.ts in SQL; the caller applies it exactly). */
export async function listOpenNotices(db: Db, now: Date, maxAgeDays: number) {
  return db.selectFrom('notices').selectAll().where((eb) => isOpen(eb, now, maxAgeDays)).orderBy('deadline').execute();
}

/**
 * The open notices (as `listOpenNotices`) with a CPV code, at procedure or lot
 * level, in one of `candidates` (domain/match.ts `cpvCandidates`): the only
 * ones a subscription with those categories can match. Found through the
 * index on notice_cpv.code.
 */
export async function listOpenNoticesWithCodes(db: Db, now: Date, maxAgeDays: number, candidates: CpvCandidates) {
  if (!candidates.ranges.length && !candidates.codes.length) return [];
  const withCode = db
    .selectFrom('notice_cpv')
    .select('notice_cpv.notice_id')
    .where((eb) => eb.or([
      ...candidates.ranges.map(({ from, to }) => eb.between('notice_cpv.code', from, to)),
      ...(candidates.codes.length ? [eb('notice_cpv.code', 'in', candidates.codes)] : []),
    ]));
  return db
    .selectFrom('notices')
    .selectAll()
    .where('notices.id', 'in', withCode)
    .where((eb) => isOpen(eb, now, maxAgeDays))
    .orderBy('deadline')
    .execute();
}

export type MatchRecord = {
  companyId: string; subscriptionId: string; score: number; reasons: unknown[]; missing: string[]; subscriptionIds: string[];
};

/** One match per (notice, firm): the best result, with every subscription of the firm that matched. */
export async function saveMatch(db: Db, noticeId: string, m: MatchRecord): Promise<void> {
  const values = {
    score: m.score, reasons: JSON.stringify(m.reasons), missing: JSON.stringify(m.missing), subscription_id: m.subscriptionId,
    subscription_ids: JSON.stringify(m.subscriptionIds),
  };
  await db
    .insertInto('matches')
    .values({ id: newId(), notice_id: noticeId, company_id: m.companyId, created_at: nowIso(), ...values })
    .onConflict((oc) => oc.columns(['notice_id', 'company_id']).doUpdateSet(values))
    .execute();
}

/** A firm that no longer matches an updated notice loses the match. */
export async function deleteMatchesExcept(db: Db, noticeId: string, keepCompanies: string[]): Promise<void> {
  let query = db.deleteFrom('matches').where('notice_id', '=', noticeId);
  if (keepCompanies.length) query = query.where('company_id', 'not in', keepCompanies);
  await query.execute();
}

/** A firm's matches among these notices, by notice (`noticeIds` a batch: every id is a parameter). */
export async function findMatches(db: Db, companyId: string, noticeIds: string[]) {
  if (!noticeIds.length) return new Map<string, { score: number; subscription_ids: string }>();
  const rows = await db
    .selectFrom('matches').select(['notice_id', 'score', 'subscription_ids'])
    .where('company_id', '=', companyId).where('notice_id', 'in', noticeIds)
    .execute();
  return new Map(rows.map((r) => [r.notice_id, { score: r.score, subscription_ids: r.subscription_ids }]));
}

export async function setMatchSubscriptions(db: Db, noticeId: string, companyId: string, subscriptionIds: string[]): Promise<void> {
  await db.updateTable('matches').set({ subscription_ids: JSON.stringify(subscriptionIds) })
    .where('notice_id', '=', noticeId).where('company_id', '=', companyId).execute();
}
