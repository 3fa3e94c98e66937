// The evidence of award history (src/domain/win-history.ts): the title's words
// move a notice's strength, and only together with a category the firm wins in.
import { expect } from 'chai';
import { countPrefixes, titleWords, WinHistory, type Win } from '../../src/domain/win-history.ts';

describe('award history evidence: titles', () => {
  const wins: Win[] = [
    { firm: 'bemanna', procurement: 'U1', code: '79624000', buyer: 'region-a', year: 2021, title: 'Bemanning av sjuksköterskor' },
    { firm: 'bemanna', procurement: 'U2', code: '79624000', buyer: 'region-b', year: 2021, title: 'Hyrsjuksköterskor till akuten' },
  ];
  const history = new WinHistory(wins, countPrefixes(['79624000', '79624000', '79624000', '79620000', '45000000']), 1);
  const evidence = history.evidence(['bemanna'])!;

  it('a title of words from the titles won multiplies the strength, up to four times; other words leave it', () => {
    const plain = evidence.assess(['79624000'], 'region-c');
    const like = evidence.assess(['79624000'], 'region-c', titleWords('Sjuksköterskor, bemanning'));
    const half = evidence.assess(['79624000'], 'region-c', titleWords('Bemanning läkare'));
    const other = evidence.assess(['79624000'], 'region-c', titleWords('Läkare vid vårdcentral'));
    expect(plain.title).to.equal(0);
    expect(like.title).to.equal(1);
    expect(like.strength).to.be.closeTo(4 * plain.strength, 1e-12);
    expect(half.title).to.equal(0.5);
    expect(half.strength).to.be.closeTo(2.5 * plain.strength, 1e-12);
    expect(other.strength).to.equal(plain.strength);
  });

  it('gives nothing to a title alone, outside what the firm wins', () => {
    expect(evidence.assess(['45000000'], 'region-a', titleWords('Bemanning av sjuksköterskor')).strength).to.equal(0);
  });
});
