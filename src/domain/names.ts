// Supplier names made comparable: UHM statistics name winners without an
// organisationsnummer, so a firm's history there is found by name, and the
// statistics match winners to the supplier register the same way.
const LEGAL_FORMS = [
  'aktiebolag', 'ab', 'publ', 'handelsbolag', 'hb', 'kommanditbolag', 'kb', 'ekonomisk forening', 'ek for', 'ekonomiska foreningen',
  'enskild firma', 'ef', 'ideell forening', 'stiftelsen', 'oy', 'as', 'a/s', 'aps', 'gmbh', 'ltd', 'limited', 'inc', 'bv', 'sa', 'oyj', 'asa',
];

/**
 * A legal name made comparable: case, accents kept apart from punctuation
 * (å, ä, ö stay letters), punctuation and spacing, the legal form ("AB",
 * "Aktiebolag", "(publ)", "HB", …) wherever it stands. "Exempel Städ AB (publ)"
 * and "AKTIEBOLAGET EXEMPEL STÄD" → "exempel städ". Empty when nothing is left.
 */
export function normaliseLegalName(name: string): string {
  let s = ` ${name.toLowerCase().normalize('NFC').replace(/&/g, ' och ')} `;
  s = s.replace(/aktiebolaget/g, ' aktiebolag ').replace(/[^\p{L}\p{N}/]+/gu, ' ');
  const words = s.split(' ').filter(Boolean);
  const plain = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const two = i + 1 < words.length ? `${plain(words[i])} ${plain(words[i + 1])}` : null;
    if (two && LEGAL_FORMS.includes(two)) { i++; continue; }
    if (LEGAL_FORMS.includes(plain(words[i]))) continue;
    out.push(words[i]);
  }
  return out.join(' ');
}
