// The full CPV list with Swedish and English labels, loaded from a CSV file the
// user points at (Brygga ships only the division names), so reasons and pages
// can say "45432100 Golvläggning" rather than a bare code.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { inTransaction, type Db } from '../../db/database.ts';
import { setCpvLabels, tryNormalizeCpv } from '../domain/cpv.ts';
import { clearReasonCache } from '../domain/match.ts';
import { allCpvLabels, replaceCpvLabels } from './cpv.repo.ts';

export class CpvImportError extends Error {}

const COLUMNS = ['code', 'label_sv', 'label_en'];

/** Replaces the labels from a CSV with the columns code, label_sv, label_en (e.g. cpv_2008_sv_en.csv); a bad file changes nothing. */
export async function importCpvLabels(db: Db, path: string): Promise<number> {
  let rows: Record<string, string>[];
  try {
    rows = parse(await readFile(path, 'utf8'), { columns: true, bom: true, skip_empty_lines: true });
  } catch (error) {
    throw new CpvImportError(`${path}: ${(error as Error).message}`);
  }
  const missing = COLUMNS.filter((c) => !rows.length || !(c in rows[0]));
  if (missing.length) throw new CpvImportError(`${path}: expected the columns ${COLUMNS.join(', ')}`);
  const labels = rows.map((r, i) => {
    const code = tryNormalizeCpv(r.code);
    if (!code || !r.label_sv.trim() || !r.label_en.trim()) throw new CpvImportError(`${path}: row ${i + 2} is not a CPV code with two labels`);
    return { code, label_sv: r.label_sv.trim(), label_en: r.label_en.trim() };
  });
  await inTransaction(db, (trx) => replaceCpvLabels(trx, labels));
  return labels.length;
}

/** Makes the stored labels the ones reasons and pages use (at start-up). */
export async function loadCpvLabels(db: Db): Promise<number> {
  const rows = await allCpvLabels(db);
  setCpvLabels(rows.map((r) => ({ code: r.code, sv: r.label_sv, en: r.label_en })));
  clearReasonCache();
  return rows.length;
}
