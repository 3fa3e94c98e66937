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
