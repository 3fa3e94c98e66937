// One analysis of Swedish words for search and for keyword subscriptions: a
// word becomes the tokens it is found by.
//
//   "Skolmåltider" → skolmåltid, skol, måltid
//   "byggnadsarbeten" → byggnadsarbet, byggn, bygg, arbet
//   "materialinventering" → materialinventering, material, inventering (no "mat")
//
// - A word's own token: its dictionary form (lemma) through the Snowball
//   Swedish stemmer, so "skolan", "skolor" and "skola" meet in "skol", and
//   words the dictionary lacks are still stemmed.
// - A compound's parts (src/domain/analysis/lexicon.ts): a head the dictionary
//   lets begin a compound (linking letters included: "byggnads-", "skol-"), a
//   verb particle or any dictionary word of four letters or more, and a tail
//   that may end a compound, or splits again; the fewest parts, the shortest
//   head. Parts are analysed like words, so the parts of parts count too.
// - The verb inside a derived noun, when the dictionary knows it:
//   "byggnad" → bygg, "städning" → städ.
// Words with digits, words under three letters and over 48 are only themselves.
import snowball from 'snowball-stemmers';
import { lexicon } from './lexicon.ts';

const stemmer = snowball.newStemmer('swedish');

const MIN_HEAD = 2;
const MIN_TAIL = 3;
const MIN_COMPOUND = MIN_HEAD + MIN_TAIL;
/** Nouns made from verbs: "bygg|nad", "städ|ning", "bygg|nation". */
const DERIVATIONS = ['nation', 'ation', 'ning', 'nad', 'else', 'eri'];
/** A shorter verb is too often another word too ("mål|ning" → mål, as in "måltid"). */
const MIN_ROOT = 4;
const CACHE_SIZE = 200_000;
/** Longer "words" (pasted strings, hashes) are only themselves: splitting costs the square of the length. */
const MAX_WORD = 48;

const isPlainWord = (word: string) => word.length >= 3 && word.length <= MAX_WORD && !/\d/.test(word);
const lemmaOf = (word: string) => lexicon().lemmas.get(word) ?? word;

/** The word's own token: its lemma, stemmed. */
export function stemOf(word: string): string {
  return isPlainWord(word) ? stemmer.stem(lemmaOf(word)) : word;
}

/**
 * The compound's parts as dictionary words (heads with their linking letters
 * taken off, the tail as its dictionary form), or null when it is no compound
 * the lexicon can show. A word the dictionary knows splits through its
 * dictionary form, with a tail that is itself a dictionary word allowed to end
 * compounds ("storkök" → stor, kök; not "mattor" → mat, tor, nor "handling" →
 * hand, ling); an unknown word splits as written, with an inflected tail
 * ("byggnadsarbeten" → byggnad, arbete).
 */
export function compoundParts(word: string): string[] | null {
  if (!isPlainWord(word)) return null;
  const lemma = lexicon().lemmas.get(word);
  return split(lemma ?? word, lemma !== undefined) ?? (lemma === undefined ? namedTail(word) : null);
}

/**
 * A name the dictionary lacks followed by a word it knows ("Hulanskolan",
 * "Aspenäsvägen"): the longest such word, of four letters or more, is a part.
 */
function namedTail(word: string): string[] | null {
  const { lemmas, ends } = lexicon();
  for (let i = 3; i <= word.length - 4; i++) {
    const end = lemmas.get(word.slice(i));
    if (end !== undefined && ends.has(end)) return [word.slice(0, i), end];
  }
  return null;
}

function split(word: string, known: boolean, memo = new Map<string, string[] | null>()): string[] | null {
  if (word.length < MIN_COMPOUND) return null;
  if (memo.has(word)) return memo.get(word)!;
  const { lemmas, ends } = lexicon();
  let best: string[] | null = null;
  for (let i = MIN_HEAD; i <= word.length - MIN_TAIL; i++) {
    const head = headOf(word.slice(0, i));
    if (head === undefined) continue;
    const tail = word.slice(i);
    const end = known ? tail : lemmas.get(tail);
    const rest = end !== undefined && ends.has(end) ? [end] : split(tail, known, memo);
    if (rest && (best === null || rest.length + 1 < best.length)) best = [head, ...rest];
    if (best?.length === 2) break;
  }
  memo.set(word, best);
  return best;
}

/**
 * The word a compound's first part stands for: as the dictionary lists it,
 * a dictionary word of four letters or more as it is, or with a linking
 * letter the dictionary does not list ("gatu-" → gata, "kvalitets-" → kvalitet).
 */
function headOf(form: string): string | undefined {
  const { heads, lemmas } = lexicon();
  const listed = heads.get(form);
  if (listed !== undefined || form.length < 4) return listed;
  // The dictionary flags far from every noun that begins compounds ("tolk|tjänster").
  if (lemmas.get(form) === form) return form;
  const stripped = form.slice(0, -1);
  if (form.endsWith('s') && lemmas.get(stripped) === stripped) return stripped;
  if ((form.endsWith('u') || form.endsWith('o')) && lemmas.has(`${stripped}a`)) return `${stripped}a`;
  return undefined;
}

/** The verb inside a derived noun ("byggnad" → "bygg"), when the dictionary knows the verb. */
function derivedFrom(lemma: string): string | null {
  const { heads, lemmas } = lexicon();
  for (const suffix of DERIVATIONS) {
    if (!lemma.endsWith(suffix)) continue;
    const root = lemma.slice(0, -suffix.length);
    if (root.length >= MIN_ROOT && (lemmas.has(`${root}a`) || heads.has(root) || lemmas.has(root))) return root;
  }
  return null;
}

const cache = new Map<string, readonly string[]>();

/** Every token a folded word is found by, its own first. */
export function wordTokens(word: string): readonly string[] {
  const known = cache.get(word);
  if (known) return known;
  const tokens = new Set([stemOf(word)]);
  if (isPlainWord(word)) {
    const root = derivedFrom(lemmaOf(word));
    if (root) tokens.add(stemOf(root));
    for (const part of compoundParts(word) ?? []) for (const t of wordTokens(part)) if (t.length >= MIN_TAIL) tokens.add(t);
  }
  const out = [...tokens];
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(word, out);
  return out;
}

/**
 * A query word: found where a text has its token (`tokens`: its own, or the
 * verb inside it, which every form of the noun carries too: "städning" finds
 * "städtjänster"), or, for a compound, every one of its parts (`parts`:
 * "skolmåltid" finds "måltider i skolan").
 */
export type AnalysedTerm = { word: string; tokens: string[]; parts: string[] };

export function analyseTerm(word: string): AnalysedTerm {
  const own = stemOf(word);
  const root = isPlainWord(word) ? derivedFrom(lemmaOf(word)) : null;
  const parts = (compoundParts(word) ?? []).map(stemOf).filter((t) => t.length >= MIN_TAIL);
  // Every word with the derived noun's own token has the verb's too: asking for both would count the noun twice.
  return { word, tokens: [root ? stemOf(root) : own], parts: parts.length > 1 ? [...new Set(parts)] : [] };
}
