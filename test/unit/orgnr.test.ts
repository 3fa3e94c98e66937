import { expect } from 'chai';
import {
  OrgNumberError,
  isValidOrgNumber,
  luhnCheckDigit,
  parseOrgNumber,
  type LegalFormHint,
} from '../../src/domain/orgnr.ts';

function orgError(fn: () => unknown): OrgNumberError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(OrgNumberError);
    return err as OrgNumberError;
  }
  expect.fail('expected an OrgNumberError');
}

/** A Luhn-valid number from its first nine digits (synthetic, for forms we have no real example of). */
const withCheck = (nine: string): string => `${nine.slice(0, 6)}-${nine.slice(6)}${luhnCheckDigit(nine)}`;

describe('orgnr', () => {
  describe('luhnCheckDigit', () => {
    it('computes the Swedish check digit', () => {
      expect(luhnCheckDigit('556016068')).to.equal(0);
      expect(luhnCheckDigit('212000144')).to.equal(7);
      expect(luhnCheckDigit('811218987')).to.equal(6);
    });
  });

  describe('real organisationsnummer (each Luhn-checked)', () => {
    const real: Array<[string, string, LegalFormHint]> = [
      ['Lerums kommun', '212000-1447', 'state-region-municipality'],
      ['Stockholms stad', '212000-0142', 'state-region-municipality'],
      ['Göteborgs stad', '212000-1355', 'state-region-municipality'],
      ['Västra Götalandsregionen', '232100-0131', 'state-region-municipality'],
      ['Riksdagsförvaltningen', '202100-2627', 'state-region-municipality'],
      ['Skatteverket', '202100-5448', 'state-region-municipality'],
      ['AB Volvo', '556012-5790', 'joint-stock'],
      ['Telefonaktiebolaget LM Ericsson', '556016-0680', 'joint-stock'],
    ];
    for (const [name, number, legalForm] of real) {
      it(`${name} ${number}`, () => {
        const digits = number.replace('-', '');
        expect(luhnCheckDigit(digits.slice(0, 9))).to.equal(Number(digits[9]));
        expect(parseOrgNumber(number)).to.deep.equal({ canonical: number, digits, legalForm });
      });
    }
  });

  describe('accepted forms', () => {
    const expected = { canonical: '556016-0680', digits: '5560160680', legalForm: 'joint-stock' };
    for (const input of [
      '556016-0680',
      '5560160680',
      '16556016-0680',
      '165560160680',
      '  556016-0680 ',
      '\t5560160680\n',
    ]) {
      it(JSON.stringify(input), () => {
        expect(parseOrgNumber(input)).to.deep.equal(expected);
        expect(isValidOrgNumber(input)).to.equal(true);
      });
    }
  });

  describe('legal form from the group number', () => {
    const groups: Array<[string, LegalFormHint]> = [
      ['1', 'estate'],
      ['2', 'state-region-municipality'],
      ['3', 'foreign'],
      ['5', 'joint-stock'],
      ['6', 'simple-company'],
      ['7', 'economic-association'],
      ['8', 'foundation-nonprofit'],
      ['9', 'partnership'],
    ];
    for (const [group, legalForm] of groups) {
      it(`${group} → ${legalForm}`, () => {
        expect(parseOrgNumber(withCheck(`${group}69600123`)).legalForm).to.equal(legalForm);
      });
    }

    it('rejects the unused groups 0 and 4', () => {
      for (const group of ['0', '4']) {
        const number = withCheck(`${group}69600123`);
        const err = orgError(() => parseOrgNumber(number));
        expect(err.reason).to.equal('group');
        expect(err.message).to.equal(`Organisationsnummer ${number}: no organisation group starts with ${group}`);
      }
    });
  });

  describe('rejections', () => {
    it('a wrong check digit', () => {
      const err = orgError(() => parseOrgNumber('556016-0681'));
      expect(err.message).to.equal('Organisationsnummer 556016-0681: invalid check digit');
      expect(err.reason).to.equal('checksum');
      expect(err.name).to.equal('OrgNumberError');
      expect(err).to.be.instanceOf(Error);
      expect(orgError(() => parseOrgNumber('16556016-0681')).reason).to.equal('checksum');
    });

    it('a transposition (which Luhn catches)', () => {
      expect(isValidOrgNumber('556061-0680')).to.equal(false);
    });

    it('empty input', () => {
      expect(orgError(() => parseOrgNumber('')).reason).to.equal('empty');
      expect(orgError(() => parseOrgNumber('   ')).message).to.equal('Organisationsnummer is empty');
    });

    it('wrong lengths', () => {
      for (const [input, count] of [
        ['55601606', 8],
        ['556016-068', 9],
        ['55601606801', 11],
        ['1655601606801', 13],
        ['556016-06800', 11],
      ] as const) {
        const err = orgError(() => parseOrgNumber(input));
        expect(err.reason, input).to.equal('length');
        expect(err.message, input).to.equal(
          `Organisationsnummer: must be 10 digits (or 12 with the 16 prefix), got ${count}`,
        );
      }
    });

    it('letters and other characters', () => {
      for (const input of ['ABC', '556016-068O', '556016 0680', '556016–0680', '556016/0680', 'SE556016068001']) {
        expect(orgError(() => parseOrgNumber(input)).reason, input).to.equal('format');
      }
    });

    it('a misplaced or doubled separator', () => {
      for (const input of ['5560-160680', '556016--0680', '-5560160680', '5560160680-', '16-556016-0680']) {
        expect(orgError(() => parseOrgNumber(input)).reason, input).to.equal('format');
      }
    });

    it('a 12-digit form without the 16 prefix', () => {
      for (const input of ['195560160680', '20556016-0680', '17556016-0680', '00556016-0680']) {
        const err = orgError(() => parseOrgNumber(input));
        expect(err.reason, input).to.equal('prefix');
        expect(err.message, input).to.match(/^Organisationsnummer 556016-0680: the 12-digit form must start with 16/);
      }
    });

    it('"+" with an organisationsnummer', () => {
      expect(orgError(() => parseOrgNumber('556016+0680')).reason).to.equal('format');
    });

    it('a non-string from an untyped caller', () => {
      expect(orgError(() => parseOrgNumber(5560160680 as unknown as string)).reason).to.equal('format');
    });
  });

  describe('personnummer (sole traders)', () => {
    // 811218-9876 and 121212-1212 are the well-known example numbers; 701063-2391 a samordningsnummer.
    it('are rejected by default, without repeating the number', () => {
      for (const input of ['811218-9876', '8112189876', '19811218-9876', '198112189876', '811218+9876']) {
        const err = orgError(() => parseOrgNumber(input));
        expect(err.reason, input).to.equal('personal');
        expect(err.message).to.equal('Organisationsnummer: looks like a personnummer, which is not accepted here');
        expect(isValidOrgNumber(input)).to.equal(false);
      }
    });

    it('are accepted with allowPersonal, in every common form', () => {
      const expected = { canonical: '811218-9876', digits: '8112189876', legalForm: 'personal' };
      for (const input of ['811218-9876', '8112189876', '19811218-9876', '198112189876', ' 811218-9876 ']) {
        expect(parseOrgNumber(input, { allowPersonal: true }), input).to.deep.equal(expected);
        expect(isValidOrgNumber(input, { allowPersonal: true }), input).to.equal(true);
      }
      expect(parseOrgNumber('20121212-1212', { allowPersonal: true }).canonical).to.equal('121212-1212');
    });

    it('accept "+" (aged 100 or more) and canonicalise it to "-"', () => {
      expect(parseOrgNumber('121212+1212', { allowPersonal: true }).canonical).to.equal('121212-1212');
    });

    it('accept a samordningsnummer (day + 60)', () => {
      expect(parseOrgNumber('701063-2391', { allowPersonal: true }).legalForm).to.equal('personal');
    });

    it('still validate the check digit and the date', () => {
      const opts = { allowPersonal: true };
      expect(orgError(() => parseOrgNumber('811218-9875', opts)).message).to.equal(
        'Personnummer: invalid check digit',
      );
      for (const nine of ['811318987', '811200987', '811232987', '811292987', '810018987']) {
        const err = orgError(() => parseOrgNumber(withCheck(nine), opts));
        expect(err.reason, nine).to.equal('date');
      }
    });

    it('reject the 16 prefix and unknown century prefixes', () => {
      expect(orgError(() => parseOrgNumber('16811218-9876', { allowPersonal: true })).reason).to.equal('prefix');
      expect(orgError(() => parseOrgNumber('16811218-9876')).reason).to.equal('prefix');
      expect(orgError(() => parseOrgNumber('18811218-9876', { allowPersonal: true })).reason).to.equal('prefix');
    });

    it('never leak the number into an error message', () => {
      const inputs = [
        '811218-9876',
        '19811218-9876',
        '811218-9875',
        '16811218-9876',
        '18811218-9876',
        '811318-9876',
        '81121898760',
        '8112189876x',
      ];
      for (const input of inputs) {
        for (const opts of [{}, { allowPersonal: true }]) {
          try {
            parseOrgNumber(input, opts);
          } catch (err) {
            expect((err as Error).message, input).to.not.match(/8112|1218|9876/);
          }
        }
      }
    });
  });
});
