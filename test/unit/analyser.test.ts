// The Swedish analysis behind search and keyword subscriptions: what a word
// is found by. Real dictionary (dictionary-sv), no stand-ins.
import { expect } from 'chai';
import { analyseTerm, compoundParts, stemOf, wordTokens } from '../../src/domain/analysis/analyser.ts';
import { matchesKeywords, parseKeywords, Words } from '../../src/domain/keywords.ts';

const finds = (query: string, text: string) => matchesKeywords(parseKeywords(query), Words.of(text)).ok;

describe('Swedish analysis', () => {
  it('splits compounds into dictionary words, however the parts are inflected', () => {
    expect(compoundParts('storkök')).to.deep.equal(['stor', 'kök']);
    expect(compoundParts('cykelvägar')).to.deep.equal(['cykel', 'väg']);
    expect(compoundParts('skolmåltider')).to.deep.equal(['skol', 'måltid']);
    expect(compoundParts('byggentreprenad')).to.deep.equal(['bygg', 'entreprenad']);
    expect(compoundParts('materialinventering')).to.deep.equal(['material', 'inventering']);
    expect(compoundParts('kök')).to.equal(null);
  });

  it('takes linking letters off the first part (s, e, u, o)', () => {
    expect(compoundParts('byggnadsarbeten')).to.deep.equal(['byggnad', 'arbete']);
    expect(compoundParts('verksamhetsstöd')).to.deep.equal(['verksamhet', 'stöd']);
    expect(compoundParts('gatubelysning')).to.deep.equal(['gata', 'belysning']);
    expect(wordTokens('kyrkogården')).to.include('gård');
  });

  it('finds compounds by their parts: "bygg", "kök", "väg", "måltid"', () => {
    for (const text of ['Byggentreprenad Sjukhusapoteket', 'Ombyggnad av Hulanskolan', 'Konstbyggnadsarbeten, K 655-21']) expect(finds('bygg', text), text).to.equal(true);
    expect(finds('kök', 'Ombyggnad av storkök')).to.equal(true);
    expect(finds('väg', 'Drift av cykelväg')).to.equal(true);
    expect(finds('måltid', 'Skolmåltider i Lerum')).to.equal(true);
    expect(finds('skola', 'Hulanskolan')).to.equal(true);
  });

  it('a part must be a word of the lexicon, not any substring: "mat" is not in "materialinventering", "el" not in "elev"', () => {
    expect(finds('mat', 'Materialinventering inför rivning')).to.equal(false);
    expect(finds('mat', 'Mattor till förskolan')).to.equal(false);
    expect(finds('mat', 'Matlådor till äldreomsorgen')).to.equal(true);
    expect(finds('el', 'Elevhälsa')).to.equal(false);
    expect(finds('el', 'El till gatubelysningen')).to.equal(true);
    expect(finds('tid', 'Handling')).to.equal(false);
  });

  it('meets a word and its forms: dictionary form, then the Snowball stem', () => {
    expect(stemOf('skolan')).to.equal(stemOf('skola')).and.to.equal(stemOf('skolor'));
    expect(stemOf('byggnaden')).to.equal(stemOf('byggnad'));
    expect(stemOf('köket')).to.equal('kök');
    expect(finds('byggnad', 'Byggnaden vid torget')).to.equal(true);
  });

  it('finds the verb inside a derived noun: "städning" finds "städtjänster", "byggnad" finds "byggentreprenad"', () => {
    expect(analyseTerm('städning').tokens).to.deep.equal(['städ']);
    expect(finds('städning', 'Städtjänster')).to.equal(true);
    expect(finds('byggnad', 'Byggentreprenad')).to.equal(true);
  });

  it('a compound query also finds its parts apart: "skolmåltid" finds "måltider i skolan"', () => {
    expect(finds('skolmåltid', 'Måltider i skolan')).to.equal(true);
    expect(finds('skolmåltid', 'Måltider i äldreomsorgen')).to.equal(false);
  });

  it('keeps å, ä and ö as letters of their own', () => {
    expect(finds('kök', 'Kok')).to.equal(false);
    expect(finds('väg', 'Vagn')).to.equal(false);
    expect(finds('båt', 'Båtar')).to.equal(true);
    expect(finds('bat', 'Båtar')).to.equal(false);
  });

  it('English words (CPV labels in English) are stemmed alike on both sides', () => {
    expect(finds('cleaning', 'Building-cleaning services')).to.equal(true);
    expect(finds('services', 'Cleaning service')).to.equal(true);
    expect(finds('cleaning', 'Clean energy')).to.equal(false);
  });

  it('digits, short words and very long strings are only themselves', () => {
    expect(wordTokens('2027')).to.deep.equal(['2027']);
    const pasted = 'å'.repeat(150_000);
    expect(wordTokens(pasted)).to.deep.equal([pasted]);
    expect(wordTokens('it')).to.deep.equal(['it']);
    expect(finds('it', 'IT-tjänster')).to.equal(true);
    expect(finds('it', 'Italienska')).to.equal(false);
  });
});
