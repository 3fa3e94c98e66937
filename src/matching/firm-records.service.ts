// Firms' records for matching and suggestions: award history (by
// organisationsnummer, and by normalised name for UHM statistics, which carry
// none) and "inte relevant" feedback, built from the database.
import type { Db } from '../../db/database.ts';
import { normaliseLegalName } from '../domain/names.ts';
import { notRelevant, type FirmRecord, type NotRelevant } from '../domain/relevance.ts';
import { countPrefixes, WinHistory, type Win } from '../domain/win-history.ts';
import * as repo from './history.repo.ts';

const QUARTER_MS = 91.3125 * 24 * 3600 * 1000;

/** A firm's keys in the history: its organisationsnummer, and its name for awards without one. */
export function firmKeys(orgNumber: string | null, name: string): string[] {
  const key = normaliseLegalName(name);
  return [...(orgNumber ? [`org:${orgNumber}`] : []), ...(key ? [`name:${key}`] : [])];
}

const buyerKey = (org: string | null, name: string) => org ?? normaliseLegalName(name);

/** The history of every award held: wins per firm key, procurements per category, over the span of the awards. */
export async function loadWinHistory(db: Db): Promise<WinHistory> {
  const [awards, codes] = await Promise.all([repo.listAwardHistory(db), repo.listProcurementCodes(db)]);
  const wins: Win[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const a of awards) {
    const day = a.published_at ?? a.awarded_on;
    const t = day ? Date.parse(day) : NaN;
    if (!Number.isNaN(t)) {
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
    const procurement = a.procedure_id ?? a.notice_id;
    const year = Number.isNaN(t) ? null : new Date(t).getUTCFullYear();
    // Keyed by orgnr when the award has one, else by name: a firm is found by either (firmKeys).
    const firm = a.winner_org_number ? `org:${a.winner_org_number}` : `name:${normaliseLegalName(a.winner_name)}`;
    wins.push({ firm, procurement, code: a.code, buyer: buyerKey(a.buyer_org, a.buyer_name), year, title: a.title });
  }
  // One per procurement: the tender and the award notice of one procurement are one procurement.
  const byProcurement = new Map<string, string>();
  for (const c of codes) byProcurement.set(c.procedure_id ?? c.id, c.code);
  const quarters = Number.isFinite(first) ? Math.max(1, (last - first) / QUARTER_MS) : 1;
  return new WinHistory(wins, countPrefixes(byProcurement.values()), quarters);
}

/**
 * Each firm's record: its evidence (when it has won anything) and what it
 * marked not relevant; from `history` when given (else read now), for the
 * firms of `companyIds` when given (else every firm).
 */
export async function loadFirmRecords(db: Db, history?: WinHistory, companyIds?: string[]): Promise<Map<string, FirmRecord>> {
  if (companyIds?.length === 0) return new Map();
  history ??= await loadWinHistory(db);
  const [companies, feedback] = await Promise.all([repo.companyKeys(db, companyIds), repo.listNotRelevant(db, companyIds)]);
  const codesOf = new Map<string, string[]>();
  for (const c of feedback.codes) codesOf.set(c.notice_id, [...(codesOf.get(c.notice_id) ?? []), c.code]);
  const marked = new Map<string, NotRelevant[]>();
  for (const r of feedback.rows) {
    const list = marked.get(r.company_id) ?? [];
    list.push(notRelevant(r.title, buyerKey(r.buyer_org, r.buyer_name), codesOf.get(r.notice_id) ?? []));
    marked.set(r.company_id, list);
  }
  const records = new Map<string, FirmRecord>();
  for (const c of companies) {
    const evidence = history.evidence(firmKeys(c.org_number, c.name));
    const notRelevantList = marked.get(c.id) ?? [];
    if (evidence || notRelevantList.length) records.set(c.id, { evidence, notRelevant: notRelevantList });
  }
  return records;
}
