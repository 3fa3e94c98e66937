// The CPV list as the picker (src/web/components/cpv-picker.tsx) and
// GET /api/cpv use it: every code with its Swedish and English label (the
// 9,454 of `npm run import:cpv`, else only the 45 divisions Brygga ships),
// searched in memory (a few milliseconds over the whole list), browsed by
// level, and each code's count of notices in the last 12 months.
import type { Db } from '../../db/database.ts';
import { CPV_DIVISIONS, cpvParent, cpvPrefix } from '../domain/cpv.ts';
import type { Lang } from '../i18n/messages.ts';
import { allCpvLabels, noticeCountsUnder } from './cpv.repo.ts';

export type CpvEntry = { code: string; sv: string; en: string };
type Indexed = CpvEntry & { text: string; prefix: string };
type Catalogue = { at: number; entries: Indexed[]; byCode: Map<string, Indexed> };

/** Labels are read again after this long: an import from the command line shows up without a restart. */
const RELOAD_MS = 5 * 60_000;
const catalogues = new WeakMap<Db, Promise<Catalogue>>();
const fold = (s: string) => s.toLocaleLowerCase('sv').normalize('NFC');

async function load(db: Db): Promise<Catalogue> {
  const rows = await allCpvLabels(db);
  const entries = new Map<string, CpvEntry>();
  for (const [division, label] of Object.entries(CPV_DIVISIONS)) entries.set(`${division}000000`, { code: `${division}000000`, ...label });
  for (const r of rows) entries.set(r.code, { code: r.code, sv: r.label_sv, en: r.label_en });
  const indexed = [...entries.values()]
    .map((e) => ({ ...e, prefix: cpvPrefix(e.code), text: fold(`${e.code} ${e.sv} ${e.en}`) }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  return { at: Date.now(), entries: indexed, byCode: new Map(indexed.map((e) => [e.code, e])) };
}

async function catalogue(db: Db): Promise<Catalogue> {
  const cached = catalogues.get(db);
  if (cached) {
    const c = await cached;
    if (Date.now() - c.at < RELOAD_MS) return c;
  }
  const fresh = load(db);
  catalogues.set(db, fresh);
  fresh.catch(() => catalogues.delete(db));
  return fresh;
}

/** Forget the cached list (after an import in this process, and in tests). */
export const forgetCpvCatalogue = (db: Db) => void catalogues.delete(db);

export const MAX_RESULTS = 50;

/**
 * Codes whose number or labels contain every word of `q` (case folded, å/ä/ö
 * kept), best first: a code starting with the query, then a label starting
 * with its first word, then broader codes before narrower ones.
 */
export async function searchCpv(db: Db, q: string, limit = 20): Promise<{ total: number; items: CpvEntry[] }> {
  const words = fold(q).split(/[\s,;]+/).filter(Boolean).slice(0, 8);
  if (!words.length) return { total: 0, items: [] };
  const { entries } = await catalogue(db);
  const digits = /^\d+$/.test(words[0]) ? words[0] : null;
  const found = entries.filter((e) => words.every((w) => e.text.includes(w)));
  const rank = (e: Indexed) =>
    (digits && e.code.startsWith(digits) ? 0 : 4) + (fold(e.sv).startsWith(words[0]) || fold(e.en).startsWith(words[0]) ? 0 : 2) + (e.prefix.length > 5 ? 1 : 0);
  found.sort((a, b) => rank(a) - rank(b) || a.prefix.length - b.prefix.length || (a.code < b.code ? -1 : 1));
  return { total: found.length, items: found.slice(0, Math.min(limit, MAX_RESULTS)).map(({ code, sv, en }) => ({ code, sv, en })) };
}

/** The codes one level below `code` (the divisions for null). */
export async function cpvChildren(db: Db, code: string | null): Promise<CpvEntry[]> {
  const { entries } = await catalogue(db);
  return entries.filter((e) => cpvParent(e.code) === code).map(({ code: c, sv, en }) => ({ code: c, sv, en }));
}

/** The entries for these codes (a code not in the list gets its division's label, marked with the code). */
export async function cpvEntries(db: Db, codes: string[]): Promise<CpvEntry[]> {
  const { byCode } = await catalogue(db);
  return codes.map((code) => {
    const e = byCode.get(code);
    if (e) return { code, sv: e.sv, en: e.en };
    const division = byCode.get(`${code.slice(0, 2)}000000`);
    return { code, sv: division?.sv ?? code, en: division?.en ?? code };
  });
}

export const cpvText = (e: CpvEntry, lang: Lang) => `${e.code} ${e[lang]}`;

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * How many notices published in the last 12 months each code would have
 * matched: notices with a code in its subtree. Approximation: a subscription
 * also takes notices coded more broadly (cpv-broad), and its other filters
 * narrow it; neither is counted here.
 */
export async function yearCounts(db: Db, codes: string[], now = new Date()): Promise<Map<string, number>> {
  const since = new Date(now.getTime() - YEAR_MS).toISOString();
  const byPrefix = await noticeCountsUnder(db, codes.map(cpvPrefix), since);
  return new Map(codes.map((c) => [c, byPrefix.get(cpvPrefix(c)) ?? 0]));
}
