// What a firm's own record does to a match's score: its award history (the
// evidence of src/domain/win-history.ts) and the notices it has called "inte
// relevant". Applied after the match rules, to the rules' result, by the one
// path every alert goes through (src/matching/relevance.ts); each move of the
// score is given as a reason, so nothing learned is hidden.
import { cpvLabel } from './cpv.ts';
import { bestCpvHit, scoreCpvHit, type MatchNotice, type MatchResult, type MatchSubscription, type Reason } from './match.ts';
import { evidencePoints, titleWords, type Assessment, type FirmEvidence } from './win-history.ts';

/** A notice the firm said is not relevant: what similarity is judged on. */
export type NotRelevant = { title: string; buyer: string | null; codes: string[]; words: Set<string> };

export type FirmRecord = { evidence: FirmEvidence | null; notRelevant: NotRelevant[] };

/** At most this many points are taken for a notice like one marked not relevant. */
const FEEDBACK_MAX_PENALTY = 40;
/** Below this similarity a notice is not "like" the one marked. */
const FEEDBACK_MIN_SIMILARITY = 0.3;

export { titleWords };

export function notRelevant(title: string, buyer: string | null, codes: string[]): NotRelevant {
  return { title, buyer, codes, words: titleWords(title) };
}

/** Shared CPV digits of the closest pair, as a share: same code 1, same category (5 digits) 0.625, same division 0.25. */
function codeSimilarity(a: string[], b: string[]): number {
  let best = 0;
  for (const x of a) {
    for (const y of b) {
      let k = 0;
      while (k < 8 && x[k] === y[k]) k++;
      best = Math.max(best, k < 2 ? 0 : k / 8);
    }
  }
  return best;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let both = 0;
  for (const w of a) if (b.has(w)) both++;
  return both / (a.size + b.size - both);
}

export type FeedbackHit = { penalty: number; like: NotRelevant; sameBuyer: boolean; sameCategory: boolean; similarWords: boolean };

/** How like the notices marked not relevant this one is: same buyer 0.4, category up to 0.4, words up to 0.2. */
export function feedbackHit(notice: { buyer: string | null; codes: string[]; words: Set<string> }, marked: NotRelevant[]): FeedbackHit | null {
  let best: FeedbackHit | null = null;
  let bestSimilarity = 0;
  for (const m of marked) {
    const sameBuyer = notice.buyer !== null && notice.buyer === m.buyer;
    const codes = codeSimilarity(notice.codes, m.codes);
    const words = jaccard(notice.words, m.words);
    const similarity = (sameBuyer ? 0.4 : 0) + 0.4 * codes + 0.2 * Math.min(1, 2 * words);
    if (similarity > bestSimilarity) {
      bestSimilarity = similarity;
      best = { penalty: Math.round(FEEDBACK_MAX_PENALTY * similarity), like: m, sameBuyer, sameCategory: codes >= 5 / 8, similarWords: words >= 0.2 };
    }
  }
  return best && bestSimilarity >= FEEDBACK_MIN_SIMILARITY ? best : null;
}

const named = (code: string, lang: 'sv' | 'en') => {
  const label = cpvLabel(code, lang);
  return label.text ? `${code} ${label.text}` : code;
};

export function evidenceReason(a: Assessment): Reason | null {
  const c = a.category;
  if (!c) return null;
  const titleSv = a.title >= 0.5 ? ', och titeln har ord från kontrakt ni vunnit' : '';
  const titleEn = a.title >= 0.5 ? ', and the title has words from contracts you have won' : '';
  const buyerSv = (a.buyer === 'won' ? ', och ni har vunnit hos denna köpare' : a.buyer === 'near' ? ', och leverantörer som vinner hos era köpare vinner hos denna' : '') + titleSv;
  const buyerEn = (a.buyer === 'won' ? ', and you have won with this buyer' : a.buyer === 'near' ? ', and suppliers that win with your buyers win with this one' : '') + titleEn;
  if (c.kind === 'related') {
    const code = c.group.padEnd(8, '0');
    return {
      code: 'history-related',
      sv: `Företag som vinner det ni vinner vinner också inom ${named(code, 'sv')}${buyerSv}`,
      en: `Firms that win what you win also win in ${named(code, 'en')}${buyerEn}`,
    };
  }
  const code = c.prefix.padEnd(8, '0');
  return {
    code: 'history',
    sv: `Ni har vunnit ${c.wins} kontrakt inom ${named(code, 'sv')}${buyerSv}`,
    en: `You have won ${c.wins} ${c.wins === 1 ? 'contract' : 'contracts'} in ${named(code, 'en')}${buyerEn}`,
  };
}

export function feedbackReason(hit: FeedbackHit): Reason {
  const sv = [hit.sameBuyer && 'samma köpare', hit.sameCategory && 'samma kategori', hit.similarWords && 'liknande ord'].filter(Boolean);
  const en = [hit.sameBuyer && 'same buyer', hit.sameCategory && 'same category', hit.similarWords && 'similar words'].filter(Boolean);
  return {
    code: 'feedback',
    sv: `Liknar ”${hit.like.title}” som ni markerat som inte relevant${sv.length ? ` (${sv.join(', ')})` : ''}: −${hit.penalty} poäng`,
    en: `Like “${hit.like.title}”, which you marked not relevant${en.length ? ` (${en.join(', ')})` : ''}: −${hit.penalty} points`,
  };
}

/** The notice as the firm's record judges it: its codes (8 digits), buyer and title words. */
export function recordView(notice: MatchNotice): { buyer: string | null; codes: string[]; words: Set<string> } {
  return { buyer: notice.buyer ?? null, codes: [...new Set(notice.codes.map((c) => c.code))], words: titleWords(notice.title ?? '') };
}

/**
 * The rules' result moved by the firm's record, or null when it falls below
 * the subscription's minimum score. With award history the evidence's points
 * take the place of the CPV points (what the profile added stays); a notice
 * like one marked not relevant loses up to 40 points.
 */
export function rescore(result: MatchResult, notice: MatchNotice, sub: MatchSubscription, record: FirmRecord | undefined): MatchResult | null {
  if (!record || (!record.evidence && !record.notRelevant.length)) {
    return belowMinimum(result.score, sub) ? null : result;
  }
  const view = recordView(notice);
  let score = result.score;
  const added: Reason[] = [];
  if (record.evidence) {
    const hit = bestCpvHit(notice.codes, sub.cpv, sub.includeParent);
    const assessment = record.evidence.assess(view.codes, view.buyer, view.words);
    score += evidencePoints(assessment.strength) - (hit ? scoreCpvHit(hit) : 0);
    const reason = evidenceReason(assessment);
    if (reason) added.push(reason);
  }
  const feedback = record.notRelevant.length ? feedbackHit(view, record.notRelevant) : null;
  if (feedback) {
    score -= feedback.penalty;
    added.push(feedbackReason(feedback));
  }
  score = Math.max(1, Math.min(100, score));
  if (belowMinimum(score, sub)) return null;
  const [first, ...rest] = result.reasons;
  return { ...result, score, reasons: first ? [first, ...added, ...rest] : added };
}

function belowMinimum(score: number, sub: MatchSubscription): boolean {
  return sub.minScore !== undefined && sub.minScore !== null && score < sub.minScore;
}
