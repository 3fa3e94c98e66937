// Loads the full lists of Swedish municipalities and postcodes from CSV files
// the user points at (the project ships only its local area's names).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { inTransaction, type Db } from '../../db/database.ts';
import { isMunicipalityCode } from '../domain/regions.ts';
import { replaceRegions } from './regions.repo.ts';

export class RegionsImportError extends Error {}

type Row = Record<string, string>;

async function readCsv(path: string, columns: string[]): Promise<Row[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new RegionsImportError(`cannot read ${path}`);
  }
  let rows: Row[];
  try {
    rows = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Row[];
  } catch (error) {
    throw new RegionsImportError(`${path}: malformed CSV (${(error as Error).message})`);
  }
  const missing = columns.filter((c) => rows.length && !(c in rows[0]));
  if (!rows.length || missing.length) throw new RegionsImportError(`${path}: expected the columns ${columns.join(', ')}`);
  return rows;
}

/** Replaces both tables in one transaction; a bad file changes nothing. */
export async function importRegions(db: Db, folder: string): Promise<{ municipalities: number; postalCodes: number }> {
  const municipalities = await readCsv(join(folder, 'se_municipalities.csv'), ['municipality_code', 'municipality_name', 'municipality_name_short', 'county_code']);
  const postal = await readCsv(join(folder, 'se_postal_to_municipality.csv'), ['postal_code', 'locality', 'municipality_code']);
  const bad = municipalities.find((m) => !isMunicipalityCode(m.municipality_code));
  if (bad) throw new RegionsImportError(`not a kommunkod: ${bad.municipality_code}`);
  const postalRows = [...new Map(postal.map((p) => [p.postal_code.replace(/\s/g, ''), p]))].map(([code, p]) => ({
    postal_code: code, locality: p.locality, municipality_code: p.municipality_code,
  }));
  const municipalityRows = municipalities.map((m) => ({
    code: m.municipality_code, name: m.municipality_name, short_name: m.municipality_name_short, county_code: m.county_code,
  }));
  await inTransaction(db, (trx) => replaceRegions(trx, municipalityRows, postalRows));
  return { municipalities: municipalities.length, postalCodes: postalRows.length };
}
