import { expect } from 'chai';
import { isEmptyQuery, matchesKeywords, normalize, parseKeywords, tokenize, Words } from '../../src/domain/keywords.ts';

const matches = (query: string, text: string) => matchesKeywords(parseKeywords(query), Words.of(text));

describe('keywords', () => {
  it('normalize folds case and foreign diacritics but keeps å, ä and ö', () => {
    expect(normalize('Café Crème')).to.equal('cafe creme');
    expect(normalize('ÅÄÖ åäö')).to.equal('åäö åäö');
    expect(normalize('Müller Señor Façade')).to.equal('muller senor facade');
    // Danish and Norwegian spellings of the Swedish letters.
    expect(normalize('Ærø Søndergård')).to.equal('ärö söndergård');
    // Decomposed input (a + combining ring) is the same letter as å.
    expect(normalize('Ba\u030Atar')).to.equal('båtar');
  });

  it('tokenize splits on anything but letters and digits', () => {
    expect(tokenize('Städning, fönsterputs & snöröjning 2027–2029 (LOT-0001)')).to.deep.equal([
      'städning', 'fönsterputs', 'snöröjning', '2027', '2029', 'lot', '0001',
    ]);
  });

  it('parseKeywords separates terms, phrases and exclusions, each term analysed', () => {
    const q = parseKeywords('städning lokalvård "fönster puts" -bygg -"nya skolan"');
    expect(q.terms.map((t) => t.word)).to.deep.equal(['städning', 'lokalvård']);
    expect(q.terms[0].tokens).to.deep.equal(['städ']);
    expect(q.phrases).to.deep.equal([['fönster', 'puts']]);
    expect(q.exclude.map((t) => t.tokens)).to.deep.equal([['bygg']]);
    expect(q.excludePhrases).to.deep.equal([['nya', 'skolan']]);
    // A quoted single word is a plain term; empty quotes are ignored.
    expect(parseKeywords('"städning" ""').terms.map((t) => t.word)).to.deep.equal(['städning']);
    // Words that name nothing are left out, unless nothing else is asked.
    expect(parseKeywords('drift och underhåll av gator').terms.map((t) => t.word)).to.deep.equal(['drift', 'underhåll', 'gator']);
    expect(parseKeywords('och').terms.map((t) => t.word)).to.deep.equal(['och']);
    expect(isEmptyQuery(parseKeywords('  '))).to.equal(true);
    expect(isEmptyQuery(parseKeywords('-bygg'))).to.equal(false);
  });

  it('finds inflected forms and compounds by their parts, with the word the user typed as the hit', () => {
    expect(matches('städning', 'Städtjänster i Lerum')).to.deep.equal({ ok: true, hits: ['städning'] });
    expect(matches('snöröjning', 'Snöröjningen 2027')).to.deep.equal({ ok: true, hits: ['snöröjning'] });
    expect(matches('lokalvård', 'Lokalvården i kommunens förskolor').ok).to.equal(true);
    expect(matches('kök', 'Ombyggnad av storkök').ok).to.equal(true);
    expect(matches('städning', 'Fönsterputs').ok).to.equal(false);
    expect(matches('mat', 'Materialinventering inför rivning').ok).to.equal(false);
  });

  it('keeps å/ä/ö distinct from a/o but folds foreign diacritics', () => {
    expect(matches('båt', 'Byte av batterier').ok).to.equal(false);
    expect(matches('bat', 'Båtar till räddningstjänsten').ok).to.equal(false);
    expect(matches('båt', 'Båtar till räddningstjänsten').ok).to.equal(true);
    expect(matches('cafe', 'Café i stadshuset').ok).to.equal(true);
    expect(matches('café', 'Kafé och cafe').ok).to.equal(true);
  });

  it('an excluded word or phrase hides the notice whatever else matches', () => {
    expect(matches('städ -bygg', 'Städning efter byggnation').ok).to.equal(false);
    expect(matches('städ -"nya skolan"', 'Städning av nya skolan').ok).to.equal(false);
    expect(matches('städ -"nya skolan"', 'Städning av skolan, nya rutiner').ok).to.equal(true);
    // Only exclusions: everything else passes, with no hits to show.
    expect(matches('-bygg', 'Städning av skolor')).to.deep.equal({ ok: true, hits: [] });
  });

  it('phrases match whole words in order', () => {
    expect(matches('"städning av skolor"', 'Städning av skolor i Lerum')).to.deep.equal({ ok: true, hits: ['städning av skolor'] });
    expect(matches('"städning av skolor"', 'Städning av förskolor').ok).to.equal(false);
    expect(matches('"städning av skolor"', 'Skolor av städning').ok).to.equal(false);
  });
});
