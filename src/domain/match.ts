// Match rules v0: a notice matches a subscription when one of its CPV codes
// (procedure or lot level) equals or descends from one of the subscription's.
// Pure: the worker loads the rows, this decides and explains.
import { cpvAncestors, cpvLevel, cpvPrefix, divisionLabel, isSameOrDescendant } from './cpv.ts';

export type NoticeCode = { code: string; lotId: string | null; isMain: boolean };

export type Reason = { code: string; sv: string; en: string };

export type CpvHit = { noticeCode: string; category: string; lotId: string | null; distance: number };

const LEVELS = ['division', 'group', 'class', 'category', 'subcategory'] as const;

/** Every code a subscription could hold that matches one of these notice codes. */
export function candidateCategories(codes: NoticeCode[]): string[] {
  return [...new Set(codes.flatMap(({ code }) => [code, ...cpvAncestors(code)]))];
}

/**
 * The hit that best explains the match, or null. The notice's own main code
 * explains best, then other procedure-level codes, then lots; among equals
 * the firm's closest category wins.
 */
export function bestCpvHit(codes: NoticeCode[], categories: string[]): CpvHit | null {
  let best: CpvHit | null = null;
  let bestRank = Infinity;
  for (const { code, lotId, isMain } of codes) {
    for (const category of categories) {
      if (!isSameOrDescendant(code, category)) continue;
      const distance = LEVELS.indexOf(cpvLevel(code)) - LEVELS.indexOf(cpvLevel(category));
      const rank = (lotId ? 20 : 0) + (isMain ? 0 : 10) + distance;
      if (rank < bestRank) {
        best = { noticeCode: code, category, lotId, distance };
        bestRank = rank;
      }
    }
  }
  return best;
}

/** 100 for an exact category, a little less for each level the notice is finer. */
export function scoreCpvHit(hit: CpvHit): number {
  return Math.max(50, 100 - 10 * hit.distance);
}

export function cpvReason(hit: CpvHit): Reason {
  const prefix = cpvPrefix(hit.category);
  const shown = hit.category === hit.noticeCode ? hit.category : `${prefix}…`;
  const label = (lang: 'sv' | 'en') => {
    const name = divisionLabel(hit.noticeCode, lang);
    return name ? ` (${name})` : '';
  };
  const lotSv = hit.lotId ? ` i delområde ${hit.lotId}` : '';
  const lotEn = hit.lotId ? ` in lot ${hit.lotId}` : '';
  return {
    code: 'cpv',
    sv: `CPV ${hit.noticeCode}${label('sv')}${lotSv} matchar din kategori ${shown}`,
    en: `CPV ${hit.noticeCode}${label('en')}${lotEn} matches your category ${shown}`,
  };
}

/** Firms hear about notices they can still act on: not awards, not past the deadline. */
export function isAlertable(notice: { kind: string; deadline: string | null; status: string }, now: Date): boolean {
  if (notice.status !== 'active' || notice.kind === 'award') return false;
  return notice.deadline === null || new Date(notice.deadline) > now;
}
