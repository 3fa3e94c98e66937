import { expect } from 'chai';
import { demoFirms } from '../../src/demo/demo-data.ts';
import { emailSlug } from '../../src/demo/seed.ts';

describe('demo e-mail addresses', () => {
  it('transliterate å, ä and ö instead of cutting the word', () => {
    expect(`info@${emailSlug('Säveån Städ & Service AB')}.example`).to.equal('info@savean-stad-service-ab.example');
    expect(emailSlug('Göta Älv Redovisning AB')).to.equal('gota-alv-redovisning-ab');
    expect(emailSlug('Kooperativet Mötesplats Lerum ek. för.')).to.equal('kooperativet-motesplats-lerum-ek-for');
  });

  it('are valid and distinct for every demo firm', () => {
    const slugs = demoFirms.map((f) => emailSlug(f.name));
    for (const slug of slugs) expect(slug).to.match(/^[a-z]+(-[a-z]+)*$/);
    expect(new Set(slugs).size).to.equal(slugs.length);
  });
});
