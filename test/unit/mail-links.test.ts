// The tokens in e-mail links: sealed (nothing readable), canonical base64url
// only, confirmation links expire, every link names the address it went to.
import { expect } from 'chai';
import { addressHash, CONFIRM_DAYS, checkToken, signToken, verifyToken } from '../../src/mail/tokens.ts';

const SECRET = 'unit-secret-unit-secret-unit-secret-0123';
const DAY = 24 * 3600 * 1000;
const FIRM = '01JDEMOFIRM0000000000000000';

describe('mail link tokens', () => {
  const unsubscribe = (now?: number) => signToken(SECRET, { p: 'unsubscribe', c: FIRM, s: '*', email: 'Anbud@Firma.example' }, now);
  const confirm = (now?: number) => signToken(SECRET, { p: 'confirm', c: FIRM, r: 2, email: 'anbud@firma.example' }, now);

  it('round-trips the payload, with the issue time and the address as a keyed hash', () => {
    const now = Date.UTC(2026, 10, 30, 12);
    const payload = verifyToken(SECRET, unsubscribe(now), 'unsubscribe', now);
    expect(payload).to.deep.equal({ p: 'unsubscribe', c: FIRM, s: '*', i: now / 1000, e: addressHash(SECRET, 'anbud@firma.example') });
    expect(addressHash(SECRET, ' ANBUD@firma.example ')).to.equal(payload!.e);
    expect(addressHash('another-secret-another-secret-0123456', 'anbud@firma.example')).not.to.equal(payload!.e);
  });

  it('says nothing readable: neither the firm’s id nor the address', () => {
    const token = unsubscribe();
    const bytes = token.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')).join('');
    expect(bytes).not.to.include(FIRM).and.not.to.include('firma').and.not.to.include('unsubscribe');
    expect(token).to.match(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(unsubscribe()).not.to.equal(token); // a fresh IV each time
  });

  it('refuses any other spelling of the same bytes (non-canonical base64url)', () => {
    const token = confirm();
    expect(verifyToken(SECRET, token, 'confirm')).not.to.equal(null);
    // The last character carries unused low bits unless the length is a multiple of 4 characters:
    // find a spelling that decodes to the same bytes, and make sure decoding alone would accept it.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const [iv, sealed] = token.split('.');
    const sameBytes = (a: string, b: string) => Buffer.from(a, 'base64url').equals(Buffer.from(b, 'base64url'));
    const variants = [
      `${token}=`, `${token}==`, `${iv}=.${sealed}`, token.replace(/^(.)/, '$1\n'), `${token} `, token.replace(/-/g, '+').replace(/_/g, '/'),
      `${iv}..${sealed}`, `${iv}.${sealed}.`,
      ...[...alphabet].map((c) => sealed.slice(0, -1) + c).filter((s) => s !== sealed && sameBytes(s, sealed)).map((s) => `${iv}.${s}`),
    ].filter((t) => t !== token);
    expect(variants.length).to.be.greaterThan(3);
    for (const variant of variants) {
      expect(checkToken(SECRET, variant, 'confirm'), JSON.stringify(variant)).to.deep.equal({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses a changed byte, another secret, a token cut short or padded out, and the wrong purpose', () => {
    const token = confirm();
    const [iv, sealed] = token.split('.');
    for (const [part, at] of [[0, 3], [1, 0], [1, 20], [1, -1]] as const) {
      const bytes = [iv, sealed].map((p) => Buffer.from(p, 'base64url'));
      bytes[part][at < 0 ? bytes[part].length + at : at] ^= 1;
      expect(checkToken(SECRET, bytes.map((b) => b.toString('base64url')).join('.'), 'confirm')).to.deep.equal({ ok: false, reason: 'forged' });
    }
    expect(checkToken(SECRET, `${sealed}.${iv}`, 'confirm').ok).to.equal(false);
    expect(checkToken('another-secret-another-secret-0123456', token, 'confirm')).to.deep.equal({ ok: false, reason: 'forged' });
    expect(checkToken(SECRET, token.slice(0, 20), 'confirm').ok).to.equal(false);
    expect(checkToken(SECRET, `${token}AAAA`, 'confirm').ok).to.equal(false);
    expect(checkToken(SECRET, token, 'unsubscribe')).to.deep.equal({ ok: false, reason: 'purpose' });
    expect(checkToken(SECRET, '', 'confirm').ok).to.equal(false);
    expect(checkToken(SECRET, 'x'.repeat(5000), 'confirm').ok).to.equal(false);
  });

  it(`expires a confirmation link after ${CONFIRM_DAYS} days; an unsubscribe link does not expire`, () => {
    const issued = Date.UTC(2026, 0, 1);
    expect(checkToken(SECRET, confirm(issued), 'confirm', issued + CONFIRM_DAYS * DAY - 1000).ok).to.equal(true);
    expect(checkToken(SECRET, confirm(issued), 'confirm', issued + CONFIRM_DAYS * DAY + 1000)).to.deep.equal({ ok: false, reason: 'expired' });
    expect(checkToken(SECRET, unsubscribe(issued), 'unsubscribe', issued + 3 * 365 * DAY).ok).to.equal(true);
  });
});
