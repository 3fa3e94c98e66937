import { expect } from 'chai';
import { messages } from '../../src/i18n/messages.ts';

describe('the message catalogue', () => {
  it('has every key in both languages, none empty, with the same placeholders', () => {
    const sv = messages.sv as Record<string, string>;
    const en = messages.en as Record<string, string>;
    expect(Object.keys(en).sort()).to.deep.equal(Object.keys(sv).sort());
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(sv)) {
      expect(sv[key].trim(), key).to.not.equal('');
      expect(en[key].trim(), key).to.not.equal('');
      expect(placeholders(en[key]), key).to.deep.equal(placeholders(sv[key]));
    }
  });
});
