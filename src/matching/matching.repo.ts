import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

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
