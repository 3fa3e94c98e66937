// Supplier names made comparable (src/domain/names.ts): how a firm's UHM history is found by name.
import { expect } from 'chai';
import { normaliseLegalName } from '../../src/domain/names.ts';

describe('supplier names', () => {
  it('drops the legal form wherever it stands: AB, Aktiebolag(et), (publ)', () => {
    for (const name of ['Exempel Städ AB', 'EXEMPEL STÄD AKTIEBOLAG', 'Aktiebolaget Exempel Städ', 'Exempel-Städ AB (publ)', ' exempel  städ, ab ']) {
      expect(normaliseLegalName(name), name).to.equal('exempel städ');
    }
    expect(normaliseLegalName('StudentConsulting Sweden AB (publ)')).to.equal('studentconsulting sweden');
    expect(normaliseLegalName('Bröderna Ek HB')).to.equal('bröderna ek');
  });

  it('folds case and punctuation, and keeps å, ä and ö as letters of their own', () => {
    expect(normaliseLegalName('ÅKERI-ÖSTER & SÖNER AB')).to.equal('åkeri öster och söner');
    expect(normaliseLegalName('Akeri Oster och Soner AB')).to.not.equal(normaliseLegalName('Åkeri Öster och Söner AB'));
    expect(normaliseLegalName('Nilsson’s Bygg i Lerum AB.')).to.equal('nilsson s bygg i lerum');
  });

  it('leaves nothing of a name that is only a legal form', () => {
    expect(normaliseLegalName('AB')).to.equal('');
  });
});
