// The cpv_labels table: the full CPV list with Swedish and English labels.
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CpvLabelsTable } from '../../db/schema.ts';

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
