// Storing what staff import for the statistics: the supplier register and
// invoices (parsed in src/ingest/ledgers.ts). Called inside the ingest's
// savepoint, so a file is stored whole or not at all; bad rows are named.
import type { Db } from '../../db/database.ts';
import { normaliseLegalName } from '../domain/names.ts';
import { contentHash, nowIso } from '../ids.ts';
import * as repo from './stats.repo.ts';

export type RowRejection = { ref: string; reason: string };
export type ImportCounts = { new: number; updated: number; unchanged: number; rejected: RowRejection[] };

type RegisterEntry = { orgNumber: string; name: string; municipalityCode: string | null; postalCode: string | null; ref: string };
type InvoiceLine = { day: string; orgNumber: string | null; name: string; amount: number; account: string | null; buyerOrg: string | null; reference: string | null; ref: string };

/** Upserts register rows by (organisationsnummer, kommun); a postnummer is turned into its kommun with the regions data. */
export async function storeSupplierRegister(db: Db, entries: RegisterEntry[], source: string): Promise<ImportCounts> {
  const postal = entries.some((e) => !e.municipalityCode) ? await repo.postalMunicipalities(db) : new Map<string, string>();
  const rejected: RowRejection[] = [];
  const rows: repo.RegisterRow[] = [];
  for (const e of entries) {
    const municipality = e.municipalityCode ?? postal.get(e.postalCode ?? '') ?? null;
    if (!municipality) {
      rejected.push({ ref: e.ref, reason: `postnummer ${e.postalCode} is in no municipality of the regions data (npm run import:regions)` });
      continue;
    }
    rows.push({ org_number: e.orgNumber, municipality_code: municipality, name: e.name, name_key: normaliseLegalName(e.name), postal_code: e.postalCode });
  }
  const counts = await repo.upsertRegister(db, rows, source, nowIso());
  return { ...counts, rejected };
}

/**
 * Stores invoice lines not stored before. A line is identified by its content
 * and its occurrence among identical lines of the file: importing the same
 * file again adds nothing, while two identical lines in one file both count.
 */
export async function storeInvoices(db: Db, lines: InvoiceLine[], source: string): Promise<ImportCounts> {
  const seen = new Map<string, number>();
  const rows: repo.InvoiceRow[] = lines.map((l) => {
    const key = contentHash([l.buyerOrg, l.day, l.orgNumber, l.name, l.amount, l.account, l.reference]);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return {
      id: `${key.slice(0, 32)}-${n}`, buyer_org: l.buyerOrg, day: l.day, supplier_org: l.orgNumber, supplier_name: l.name,
      name_key: normaliseLegalName(l.name), amount: l.amount, account: l.account,
    };
  });
  const added = await repo.insertInvoices(db, rows, source, nowIso());
  return { new: added, updated: 0, unchanged: rows.length - added, rejected: [] };
}
