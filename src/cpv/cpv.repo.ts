// The cpv_labels table: the full CPV list with Swedish and English labels.
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CpvLabelsTable, Database } from '../../db/schema.ts';

export type CpvLabel = Selectable<CpvLabelsTable>;

/** Replaces every label; call inside a transaction so a bad file changes nothing. */
export async function replaceCpvLabels(db: Db, labels: CpvLabel[]): Promise<void> {
  await db.deleteFrom('cpv_labels').execute();
  for (let i = 0; i < labels.length; i += 300) await db.insertInto('cpv_labels').values(labels.slice(i, i + 300)).execute();
}

export async function allCpvLabels(db: Db): Promise<CpvLabel[]> {
  return db.selectFrom('cpv_labels').selectAll().execute();
}

/**
 * How many notices published since `since` carry a code within each of these
 * codes' subtrees (the code or any code below it, any lot), one count per code:
 * what a category would have matched. A range on the code column (its index),
 * not LIKE: every descendant of a code starts with its significant prefix.
 */
export async function noticeCountsUnder(db: Db, prefixes: string[], since: string): Promise<Map<string, number>> {
  const counts = await Promise.all(
    [...new Set(prefixes)].map(async (prefix) => {
      const row = await db
        .selectFrom('notice_cpv')
        .innerJoin('notices', 'notices.id', 'notice_cpv.notice_id')
        .select((eb) => eb.fn.count<number>('notice_cpv.notice_id').distinct().as('n'))
        .where('notice_cpv.code', '>=', prefix)
        .where('notice_cpv.code', '<', `${prefix}~`)
        .where('notices.published_at', '>=', since)
        .executeTakeFirst();
      return [prefix, Number(row?.n ?? 0)] as const;
    }),
  );
  return new Map(counts);
}

export type EstimateFilters = { prefixes: string[]; kinds: string[]; procedures: string[]; minValue: number | null; maxValue: number | null };

/**
 * Notices published since `since` that a subscription's CPV codes, kinds,
 * procedures and value range would have taken (a subscription's estimate; the
 * caller says what it leaves out). A notice without a value, or in another
 * currency, passes the value range, as in matching.
 */
export async function countNoticesFor(db: Db, f: EstimateFilters, since: string): Promise<number> {
  if (!f.prefixes.length) return 0;
  let query = db
    .selectFrom('notices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('notices.published_at', '>=', since)
    .where('notices.kind', 'in', f.kinds.length ? f.kinds : ['tender'])
    .where((eb) => eb.exists(
      eb.selectFrom('notice_cpv').select('notice_cpv.notice_id').whereRef('notice_cpv.notice_id', '=', 'notices.id')
        .where((inner) => inner.or(f.prefixes.map((p) => inner.and([inner('notice_cpv.code', '>=', p), inner('notice_cpv.code', '<', `${p}~`)])))),
    ));
  if (f.procedures.length) query = query.where('notices.procedure', 'in', f.procedures);
  const sek = (eb: ExpressionBuilder<Database, 'notices'>) =>
    eb.or([eb('notices.estimated_amount', 'is', null), eb('notices.estimated_currency', '!=', 'SEK')]);
  if (f.minValue !== null) query = query.where((eb) => eb.or([sek(eb), eb('notices.estimated_amount', '>=', f.minValue!)]));
  if (f.maxValue !== null) query = query.where((eb) => eb.or([sek(eb), eb('notices.estimated_amount', '<=', f.maxValue!)]));
  return Number((await query.executeTakeFirstOrThrow()).n);
}
