// The Swedish lexicon behind Brygga's text analysis, read from the Swedish
// Hunspell dictionary (dictionary-sv; its affix file parsed by nspell). From
// it come three things:
// - every inflected form with its dictionary word ("skolan" → "skola",
//   "måltider" → "måltid"), so a word and its forms meet;
// - the forms that may begin a compound, with linking letters as the
//   dictionary spells them ("byggnads-" → "byggnad", "skol-" → "skola",
//   "kyrko-"), from its COMPOUNDBEGIN/COMPOUNDMIDDLE flags;
// - which forms are words at all (a compound's last part must be one, so
//   "mat" is no part of "materialinventering": "erialinventering" is no word).
// The lexicon depends on the dictionary alone (not on imported data), so the
// same text always gives the same tokens: the FTS5 index relies on that to
// forget a row.
import dictionary from 'dictionary-sv';
import nspell from 'nspell';

type AffixEntry = { add: string; remove: string | RegExp; match: RegExp | string; continuation: string[] };
type AffixRule = { type: 'SFX' | 'PFX'; entries: AffixEntry[] };
/** What nspell keeps of the affix file (not in its published types). */
type AffixFile = { rules: Record<string, AffixRule>; flags: Record<string, string> };

/**
 * Swedish verb particles and prefixes that begin compounds without the
 * dictionary flagging them ("om|byggnad", "ny|byggnation", "till|byggnad").
 */
const PARTICLES = ['av', 'an', 'bort', 'efter', 'fram', 'från', 'genom', 'in', 'med', 'mot', 'ned', 'ner', 'ny', 'om', 'på', 'sam', 'till', 'upp', 'ut', 'åter', 'över'];

export type Lexicon = {
  /** A form that may begin (or continue) a compound → the dictionary word it stands for. */
  heads: ReadonlyMap<string, string>;
  /** An inflected form → its dictionary word; dictionary words map to themselves. */
  lemmas: ReadonlyMap<string, string>;
  /** Dictionary words that may end a compound (COMPOUNDEND): "kök", "väg", "tid"; not "ling" or "ter". */
  ends: ReadonlySet<string>;
};

function applies(entry: AffixEntry, word: string): boolean {
  return !entry.match || (typeof entry.match === 'string' ? word.endsWith(entry.match) : entry.match.test(word));
}

function affixed(rule: AffixRule, entry: AffixEntry, word: string): string {
  const stripped = entry.remove ? word.replace(entry.remove, '') : word;
  return rule.type === 'SFX' ? stripped + entry.add : entry.add + stripped;
}

/** Reads the dictionary: about two seconds and 100 MB, once per process (see `lexicon`). */
export function readLexicon(dic = dictionary.dic, aff = dictionary.aff): Lexicon {
  const { rules, flags } = nspell({ aff: Buffer.from(aff) }) as unknown as AffixFile;
  const begins = new Set([flags.COMPOUNDBEGIN, flags.COMPOUNDMIDDLE]);
  const end = flags.COMPOUNDEND;
  const onlyInCompound = flags.ONLYINCOMPOUND;
  const heads = new Map<string, string>(PARTICLES.map((p) => [p, p]));
  const lemmas = new Map<string, string>();
  const ends = new Set<string>();
  const lines = Buffer.from(dic).toString('utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const slash = line.indexOf('/');
    const word = (slash < 0 ? line : line.slice(0, slash)).toLowerCase();
    const codes = slash < 0 ? '' : line.slice(slash + 1).split(/\s/)[0];
    if (!/^\p{L}+$/u.test(word)) continue;
    const isWord = !codes.includes(onlyInCompound);
    if (isWord && !lemmas.has(word)) lemmas.set(word, word);
    if (isWord && codes.includes(end)) ends.add(word);
    if ([...codes].some((c) => begins.has(c))) heads.set(word, heads.get(word) ?? word);
    for (const code of codes) {
      const rule = rules[code];
      if (!rule) continue;
      for (const entry of rule.entries) {
        if (!applies(entry, word)) continue;
        const form = affixed(rule, entry, word);
        if (entry.continuation.some((c) => begins.has(c))) {
          if (!heads.has(form)) heads.set(form, word);
        } else if (isWord && !entry.continuation.includes(onlyInCompound) && !lemmas.has(form)) {
          lemmas.set(form, word);
        }
      }
    }
  }
  return { heads, lemmas, ends };
}

let shared: Lexicon | null = null;

/** The lexicon, read on first use. */
export function lexicon(): Lexicon {
  shared ??= readLexicon();
  return shared;
}
