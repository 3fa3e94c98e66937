import { expect } from 'chai';
import { cleanText } from '../../src/domain/text.ts';

describe('cleanText', () => {
  it('removes C0 controls, DEL and C1 controls', () => {
    expect(cleanText('Snö\u0000röj\u0007ning\u001b[31m\u007f\u0085\u009b')).to.equal('Snöröjning[31m');
  });

  it('removes bidirectional overrides and isolates (Trojan Source)', () => {
    const tricks = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const c of tricks) expect(cleanText(`Lerums${c} kommun`), `U+${c.charCodeAt(0).toString(16)}`).to.equal('Lerums kommun');
  });

  it('makes one line: tabs and line breaks become one space (no header injection)', () => {
    expect(cleanText('Städ AB\r\nBcc: all@example.se')).to.equal('Städ AB Bcc: all@example.se');
    expect(cleanText('a\tb\n\nc\rd\u000be\u000cf')).to.equal('a b c d e f');
  });

  it('keeps tabs and line feeds in multi-line text; CRLF and CR become LF', () => {
    expect(cleanText('Rad 1\r\nRad 2\rRad 3\n\tindrag\u0000\u202e', { multiline: true })).to.equal('Rad 1\nRad 2\nRad 3\n\tindrag');
    expect(cleanText('a\u000bb\u000cc', { multiline: true })).to.equal('abc');
  });

  it('leaves everything else alone: letters of any script, emoji, marks, spaces', () => {
    const text = '  Åre – Göteborg «Δ» 東京 עברית 🚲 e\u0301 \u00a0\u200b\u200e ';
    expect(cleanText(text)).to.equal(text);
    expect(cleanText(text, { multiline: true })).to.equal(text);
    expect(cleanText('')).to.equal('');
  });
});
