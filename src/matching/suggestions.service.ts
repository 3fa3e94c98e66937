// Suggestions from award history (GET /api/companies/:id/suggestions, the
// registration and profile forms): the categories a firm has won in, with the
// evidence; the categories firms winning the same things also win; and one
// subscription that lets the evidence decide (its minimum score is the one
// threshold eval:matching measures).
import type { Db } from '../../db/database.ts';
import { findCompany } from '../companies/companies.repo.ts';
import { cpvLabel } from '../domain/cpv.ts';
import type { Reason } from '../domain/match.ts';
import { DEFAULT_MIN_SCORE, type WinHistory } from '../domain/win-history.ts';
import { notFound } from '../http/errors.ts';
import { firmKeys, loadWinHistory } from './firm-records.service.ts';

export type Label = { sv: string | null; en: string | null };
export type Suggestions = {
  /** Contracts found for the firm (by organisationsnummer, and by name in UHM statistics). */
  wins: number;
  categories: { code: string; label: Label; contracts: number; years: number[]; reason: Reason }[];
  related: { code: string; label: Label; weight: number; reason: Reason }[];
  subscription: { name: string; cpv: string[]; minScore: number } | null;
};

const label = (code: string): Label => ({ sv: cpvLabel(code, 'sv').text, en: cpvLabel(code, 'en').text });
const named = (code: string, l: string | null) => (l ? `${code} ${l}` : code);

/** What a firm's history suggests; `history` may be passed in when already loaded. */
export function suggestionsFor(history: WinHistory, orgNumber: string | null, name: string): Suggestions {
  const evidence = history.evidence(firmKeys(orgNumber, name));
  if (!evidence) return { wins: 0, categories: [], related: [], subscription: null };
  const categories = evidence.categories().map((c) => {
    const l = label(c.code);
    const years = c.years.length ? ` (${c.years.join(', ')})` : '';
    return {
      code: c.code, label: l, contracts: c.contracts, years: c.years,
      reason: {
        code: 'history',
        sv: `Ni har vunnit ${c.contracts} kontrakt inom ${named(c.code, l.sv)}${years}`,
        en: `You have won ${c.contracts} ${c.contracts === 1 ? 'contract' : 'contracts'} in ${named(c.code, l.en)}${years}`,
      },
    };
  });
  const related = evidence.relatedCategories().map((r) => {
    const l = label(r.code);
    return {
      code: r.code, label: l, weight: Number(r.weight.toFixed(4)),
      reason: {
        code: 'history-related',
        sv: `Företag som vinner det ni vinner vinner också inom ${named(r.code, l.sv)}`,
        en: `Firms that win what you win also win in ${named(r.code, l.en)}`,
      },
    };
  });
  return {
    wins: evidence.wins,
    categories,
    related,
    subscription: { name: 'Förslag från er historik', cpv: evidence.subscriptionCategories(), minScore: DEFAULT_MIN_SCORE },
  };
}

export async function companySuggestions(db: Db, companyId: string): Promise<Suggestions> {
  const company = await findCompany(db, companyId);
  if (!company) throw notFound('Company');
  return suggestionsFor(await loadWinHistory(db), company.org_number, company.name);
}

/** For a firm not registered yet (the registration form): by the organisationsnummer and name typed. */
export async function suggestionsByName(db: Db, orgNumber: string | null, name: string): Promise<Suggestions> {
  return suggestionsFor(await loadWinHistory(db), orgNumber, name);
}
