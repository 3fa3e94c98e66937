// The text rules every search backend shares: folding, the query parser and highlights.
import { expect } from 'chai';
import { normalize } from '../../src/domain/keywords.ts';
import { Highlighter, MARK_END, MARK_START, clean, fold, leadingWords, markedToHtml, parseTextQuery, queryWords } from '../../src/search/text.ts';

const show = (s: string) => s.replaceAll(MARK_START, '[').replaceAll(MARK_END, ']');

describe('search text', () => {
  it('fold gives the same result as the keyword normalisation, on every kind of character', () => {
    const samples = [
      'Städtjänster för förskolor i Lerums kommun', 'ÅÄÖ åäö', 'Café Crème Müller Señor Façade', 'Ærø Søndergård',
      'Ba\u030Atar', 'cafe\u0301s', 'İstanbul ẞtraße', 'Ångström 2027–2029 (LOT-0001)', 'Ελληνικά Кириллица', '😀 ﬁne ǅ',
    ];
    for (const s of samples) expect(fold(s), s).to.equal(normalize(s));
    // A spread of code points, too.
    let all = '';
    for (let c = 0x20; c < 0x2500; c += 7) all += String.fromCodePoint(c);
    expect(fold(all)).to.equal(normalize(all));
  });

  it('keeps å, ä and ö apart from a and o, folds other accents', () => {
    expect(fold('Målning')).to.equal('målning');
    expect(fold('Malning')).to.equal('malning');
    expect(fold('Crème brûlée')).to.equal('creme brulee');
  });

  it('clean removes highlight markers and control characters a notice might carry', () => {
    expect(clean(`a${MARK_START}b${MARK_END}c\u0000d\te`)).to.equal('abcd\te');
  });

  it('parseTextQuery: analysed terms, phrases and exclusions, folded; nothing of any query syntax survives', () => {
    expect(parseTextQuery('Städning "fönster puts" -bygg -"nya skolan"')).to.deep.equal({
      terms: [{ word: 'städning', tokens: ['städ'], parts: [] }],
      phrases: [['fönster', 'puts']],
      exclude: [{ word: 'bygg', tokens: ['bygg'], parts: [] }],
      excludePhrases: [['nya', 'skolan']],
    });
    const hostile = parseTextQuery('städ" OR title:* NEAR(a b) {title} ^x AND "');
    const all = [...hostile.terms.map((t) => t.word), ...hostile.phrases.flat()];
    for (const w of all) expect(w).to.match(/^[\p{L}\p{N}]+$/u);
    expect(queryWords(parseTextQuery('x y "c d" -e'))).to.equal(4);
  });

  it('Highlighter marks the words the search found (forms, compounds with the word as a part), short words only whole, and phrases', () => {
    const h = new Highlighter(parseTextQuery('städning el "parker och grönytor"'));
    expect(show(h.mark('Städtjänster och el i Elverket'))).to.equal('[Städtjänster] och [el] i Elverket');
    expect(show(h.mark('Skötsel av parker och grönytor'))).to.equal('Skötsel av [parker] [och] [grönytor]');
    expect(show(new Highlighter(parseTextQuery('cafe')).mark('Café och Cafeteria'))).to.equal('[Café] och Cafeteria');
    expect(show(new Highlighter(parseTextQuery('kök')).mark('Köket i storköket, kokbok'))).to.equal('[Köket] i [storköket], kokbok');
    expect(show(new Highlighter(parseTextQuery('mat')).mark('Materialinventering och matlådor'))).to.equal('Materialinventering och [matlådor]');
  });

  it('a snippet is a window of words around the matches, with ellipses', () => {
    const words = Array.from({ length: 60 }, (_, i) => `ord${i}`);
    words[40] = 'Sysselsättningskrav';
    const h = new Highlighter(parseTextQuery('sysselsättningskrav'));
    const snippet = show(h.snippet(words.join(' '), 10));
    expect(snippet.startsWith('…ord37 ord38 ord39 [Sysselsättningskrav]')).to.equal(true);
    expect(snippet.endsWith('…')).to.equal(true);
    expect(show(h.snippet('Kort text utan träff', 10))).to.equal('Kort text utan träff');
    expect(show(h.snippet(words.slice(0, 30).join(' '), 10))).to.equal(`${words.slice(0, 10).join(' ')}…`);
  });

  it('HTML: text is escaped before the markers become <mark>', () => {
    expect(markedToHtml(`<script>&${MARK_START}x${MARK_END}`)).to.equal('&#60;script&#62;&#38;<mark>x</mark>');
    expect(leadingWords('a b c', 2)).to.equal('a b…');
  });
});
