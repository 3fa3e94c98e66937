import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  CPV_CHECK_DIGIT_EXCEPTIONS,
  CPV_DIVISIONS,
  CpvError,
  cpvAncestors,
  cpvCalculatedCheckDigit,
  cpvCheckDigit,
  cpvLevel,
  cpvParent,
  cpvPrefix,
  cpvWithCheckDigit,
  divisionLabel,
  isDescendant,
  isSameOrDescendant,
  normalizeCpv,
  tryNormalizeCpv,
} from '../../src/domain/cpv.ts';
import { requireSharedData, sharedDataPath } from '../helpers/shared-data.ts';

function cpvError(fn: () => unknown): CpvError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(CpvError);
    return err as CpvError;
  }
  expect.fail('expected a CpvError');
}

describe('cpv', () => {
  describe('check digit', () => {
    it('follows Σ digit × (3,7,1,3,7,1,3,7) mod 10', () => {
      expect(cpvCheckDigit('45214200')).to.equal(2); // school buildings
      expect(cpvCheckDigit('03000000')).to.equal(1);
      expect(cpvCheckDigit('90910000')).to.equal(9); // cleaning services
      expect(cpvCheckDigit('79342410')).to.equal(4); // published exception, see below
      expect(cpvCalculatedCheckDigit('45214200')).to.equal(2);
    });

    it('returns the published digit where the official list deviates from the formula', () => {
      expect(cpvCalculatedCheckDigit('72400000')).to.equal(9);
      expect(cpvCheckDigit('72400000')).to.equal(4);
      expect(cpvCheckDigit('09100000')).to.equal(0);
      expect(cpvCheckDigit('51000000')).to.equal(9);
      expect(cpvCheckDigit('42100000')).to.equal(0);
    });

    it('has no redundant or malformed exception entries', () => {
      expect(CPV_CHECK_DIGIT_EXCEPTIONS.size).to.equal(532);
      for (const [code, digit] of CPV_CHECK_DIGIT_EXCEPTIONS) {
        expect(code, code).to.match(/^\d{8}$/);
        expect(digit, code).to.be.within(0, 9);
        expect(cpvCalculatedCheckDigit(code), code).to.not.equal(digit);
        expect(normalizeCpv(`${code}-${digit}`)).to.equal(code);
      }
    });

    it('wants exactly 8 digits', () => {
      for (const bad of ['4521420', '452142002', '45214200-2', '4521420x', '']) {
        expect(cpvError(() => cpvCheckDigit(bad)).reason, bad).to.equal('format');
        expect(() => cpvCalculatedCheckDigit(bad), bad).to.throw(CpvError);
      }
    });
  });

  describe('normalizeCpv', () => {
    it('accepts the forms found in real data', () => {
      expect(normalizeCpv('45214200')).to.equal('45214200');
      expect(normalizeCpv('45214200-2')).to.equal('45214200');
      expect(normalizeCpv('45214200.0')).to.equal('45214200');
      expect(normalizeCpv('45214200.00')).to.equal('45214200');
      expect(normalizeCpv('  45214200-2\t\n')).to.equal('45214200');
      expect(normalizeCpv(' 45214200.0 ')).to.equal('45214200');
      expect(normalizeCpv('72400000-4')).to.equal('72400000');
      expect(normalizeCpv('03000000-1')).to.equal('03000000');
    });

    it('restores the leading zero a spreadsheet drops from divisions 03 and 09', () => {
      expect(normalizeCpv('3111000.0')).to.equal('03111000');
      expect(normalizeCpv('3000000-1')).to.equal('03000000');
      expect(normalizeCpv('9100000')).to.equal('09100000');
      expect(cpvError(() => normalizeCpv('3000000-2')).reason).to.equal('check-digit');
    });

    it('rejects a wrong check digit with the expected one in the message', () => {
      const err = cpvError(() => normalizeCpv('45214200-3'));
      expect(err.message).to.equal('CPV 45214200-3: wrong check digit (expected 2)');
      expect(err.reason).to.equal('check-digit');
      expect(err.name).to.equal('CpvError');
      expect(err).to.be.instanceOf(Error);
    });

    it('accepts only the published digit for codes whose digit deviates from the formula', () => {
      expect(cpvError(() => normalizeCpv('72400000-9')).message).to.equal(
        'CPV 72400000-9: wrong check digit (expected 4)',
      );
    });

    it('rejects empty input', () => {
      expect(cpvError(() => normalizeCpv('')).reason).to.equal('empty');
      expect(cpvError(() => normalizeCpv('  \t ')).message).to.equal('CPV code is empty');
    });

    it('rejects wrong lengths', () => {
      for (const bad of ['4521420', '452142', '45', '452142000', '4521420000', '45214200000-2', '1234567']) {
        const err = cpvError(() => normalizeCpv(bad));
        expect(err.reason, bad).to.equal('length');
        expect(err.message, bad).to.match(/must be 8 digits, got \d+$/);
      }
    });

    it('rejects letters, stray characters and malformed suffixes', () => {
      for (const bad of [
        '4521420A',
        'CPV45214200',
        '45 214200',
        '45214200-',
        '45214200-23',
        '45214200-X',
        '45214200.5',
        '45214200.0-2',
        '45214200,0',
        '-45214200',
        '+45214200',
        '4.52142e7',
        '४५२१४२००', // Devanagari digits are not ASCII digits
      ]) {
        expect(cpvError(() => normalizeCpv(bad)).reason, bad).to.equal('format');
      }
    });

    it('rejects unknown divisions, including 00', () => {
      for (const bad of ['00000000', '00100000', '01000000', '99000000', '47000000', '29100000']) {
        const err = cpvError(() => normalizeCpv(bad));
        expect(err.reason, bad).to.equal('division');
        expect(err.message, bad).to.contain(`no CPV division ${bad.slice(0, 2)}`);
      }
    });

    it('rejects a zero followed by a non-zero digit (skips a level)', () => {
      for (const bad of ['45014200', '45201000', '45214001']) {
        expect(cpvError(() => normalizeCpv(bad)).reason, bad).to.equal('structure');
      }
    });

    it('keeps error messages short for huge input', () => {
      const err = cpvError(() => normalizeCpv('x'.repeat(10_000)));
      expect(err.message.length).to.be.below(120);
    });

    it('rejects non-strings from untyped callers', () => {
      expect(cpvError(() => normalizeCpv(45214200 as unknown as string)).reason).to.equal('format');
    });
  });

  describe('tryNormalizeCpv', () => {
    it('returns the code or null', () => {
      expect(tryNormalizeCpv('45214200-2')).to.equal('45214200');
      expect(tryNormalizeCpv('45214200-3')).to.equal(null);
      expect(tryNormalizeCpv('')).to.equal(null);
      expect(tryNormalizeCpv('abc')).to.equal(null);
    });
  });

  describe('cpvWithCheckDigit', () => {
    it('appends the published check digit', () => {
      expect(cpvWithCheckDigit('45214200')).to.equal('45214200-2');
      expect(cpvWithCheckDigit('72400000.0')).to.equal('72400000-4');
      expect(cpvWithCheckDigit('3000000')).to.equal('03000000-1');
    });
  });

  describe('levels and prefixes', () => {
    const cases: Array<[string, string, string]> = [
      ['45000000', 'division', '45'],
      ['45200000', 'group', '452'],
      ['45210000', 'class', '4521'],
      ['45214000', 'category', '45214'],
      ['45214200', 'subcategory', '452142'],
      ['45214210', 'subcategory', '4521421'],
      ['42122419', 'subcategory', '42122419'],
      ['03000000', 'division', '03'],
      ['03100000', 'group', '031'],
      ['90000000', 'division', '90'], // the division's own zero is significant
      ['09000000', 'division', '09'],
    ];
    for (const [code, level, prefix] of cases) {
      it(`${code} is a ${level} with prefix ${prefix}`, () => {
        expect(cpvLevel(code)).to.equal(level);
        expect(cpvPrefix(code)).to.equal(prefix);
      });
    }

    it('accepts any form normalizeCpv accepts and rejects the rest', () => {
      expect(cpvLevel('45214200-2')).to.equal('subcategory');
      expect(cpvPrefix(' 45210000.0 ')).to.equal('4521');
      expect(() => cpvLevel('45214200-3')).to.throw(CpvError);
      expect(() => cpvPrefix('4521')).to.throw(CpvError);
    });
  });

  describe('descent', () => {
    it('finds descendants at every depth', () => {
      for (const ancestor of ['45000000', '45200000', '45210000', '45214000']) {
        expect(isDescendant('45214200', ancestor), ancestor).to.equal(true);
        expect(isSameOrDescendant('45214200', ancestor), ancestor).to.equal(true);
      }
      expect(isDescendant('45214210', '45214200')).to.equal(true);
    });

    it('is strict for isDescendant and inclusive for isSameOrDescendant', () => {
      expect(isDescendant('45214200', '45214200')).to.equal(false);
      expect(isSameOrDescendant('45214200', '45214200')).to.equal(true);
      expect(isDescendant('45000000', '45000000-7')).to.equal(false);
      expect(isSameOrDescendant('45000000', '45000000-7')).to.equal(true);
    });

    it('does not go upwards or sideways', () => {
      expect(isDescendant('45000000', '45214200')).to.equal(false);
      expect(isSameOrDescendant('45210000', '45214200')).to.equal(false);
      expect(isSameOrDescendant('45214100', '45214200')).to.equal(false); // sibling
      expect(isSameOrDescendant('45220000', '45210000')).to.equal(false); // cousin
      expect(isSameOrDescendant('44214200', '45000000')).to.equal(false); // other division
      expect(isSameOrDescendant('90910000', '09000000')).to.equal(false); // same digits, other place
    });

    it('normalizes both sides', () => {
      expect(isDescendant('45214200-2', '45000000.0')).to.equal(true);
      expect(isDescendant('3111000.0', '3000000')).to.equal(true);
      expect(() => isDescendant('45214200', 'x')).to.throw(CpvError);
      expect(() => isDescendant('x', '45000000')).to.throw(CpvError);
    });
  });

  describe('parent and ancestors', () => {
    it('walks up one significant digit at a time', () => {
      expect(cpvParent('45214210')).to.equal('45214200');
      expect(cpvParent('45214200')).to.equal('45214000');
      expect(cpvParent('45214000')).to.equal('45210000');
      expect(cpvParent('45210000')).to.equal('45200000');
      expect(cpvParent('45200000')).to.equal('45000000');
      expect(cpvParent('45000000')).to.equal(null);
      expect(cpvParent('42122419-0')).to.equal('42122410');
    });

    it('lists ancestors nearest first, ending at the division', () => {
      expect(cpvAncestors('45214210')).to.deep.equal([
        '45214200',
        '45214000',
        '45210000',
        '45200000',
        '45000000',
      ]);
      expect(cpvAncestors('03100000')).to.deep.equal(['03000000']);
      expect(cpvAncestors('45000000')).to.deep.equal([]);
    });

    it('agrees with isDescendant', () => {
      for (const code of ['45214210', '42122419', '03111000']) {
        for (const a of cpvAncestors(code)) expect(isDescendant(code, a), `${code} < ${a}`).to.equal(true);
      }
    });
  });

  describe('divisions', () => {
    it('has the 45 CPV 2008 divisions', () => {
      const keys = Object.keys(CPV_DIVISIONS);
      expect(keys).to.have.length(45);
      expect(keys).to.include.members(['03', '09', '45', '72', '90', '98']);
      for (const key of keys) {
        expect(key).to.match(/^\d{2}$/);
        expect(normalizeCpv(`${key}000000`)).to.equal(`${key}000000`);
      }
    });

    it('labels every division in Swedish and English, all distinct', () => {
      const sv = new Set<string>();
      const en = new Set<string>();
      for (const [key, label] of Object.entries(CPV_DIVISIONS)) {
        expect(label.sv.trim(), key).to.not.equal('');
        expect(label.en.trim(), key).to.not.equal('');
        sv.add(label.sv);
        en.add(label.en);
      }
      expect(sv.size).to.equal(45);
      expect(en.size).to.equal(45);
    });

    it('looks up a label from any code or a bare division', () => {
      expect(divisionLabel('45214200-2', 'sv')).to.equal(CPV_DIVISIONS['45'].sv);
      expect(divisionLabel('45214200', 'en')).to.equal(CPV_DIVISIONS['45'].en);
      expect(divisionLabel('72', 'en')).to.equal('IT services');
      expect(divisionLabel('3111000.0', 'sv')).to.equal(CPV_DIVISIONS['03'].sv);
      for (const bad of ['99', '00', '', 'xx', '99000000', '45214200-3', '__proto__', 'constructor']) {
        expect(divisionLabel(bad, 'sv'), bad).to.equal(null);
      }
    });
  });

  describe('the official list (shared data)', () => {
    type Row = { code: string; withCheck: string };
    let rows: Row[] = [];

    function load(ctx: Mocha.Context): Row[] {
      if (rows.length > 0) return rows;
      const path = requireSharedData(ctx, 'cpv', 'cpv_2008_sv_en.csv');
      const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l !== '');
      expect(lines[0]).to.match(/^code,code_with_check_digit,/);
      // The first two columns are never quoted; labels (which may hold commas) are ignored.
      rows = lines.slice(1).map((line) => {
        const [code, withCheck] = line.split(',', 2);
        return { code: code ?? '', withCheck: withCheck ?? '' };
      });
      return rows;
    }

    it('round-trips the check digit of every code', function () {
      const all = load(this);
      expect(all).to.have.length(9454);
      const failures: string[] = [];
      for (const { code, withCheck } of all) {
        const ok =
          withCheck.slice(0, 8) === code &&
          tryNormalizeCpv(withCheck) === code &&
          tryNormalizeCpv(code) === code &&
          cpvWithCheckDigit(code) === withCheck;
        if (!ok) failures.push(withCheck);
      }
      expect(failures, `${failures.length} codes fail`).to.deep.equal([]);
    });

    it('needs exceptions for exactly the codes that deviate from the formula', function () {
      const deviating = load(this)
        .filter(({ code, withCheck }) => cpvCalculatedCheckDigit(code) !== Number(withCheck[9]))
        .map(({ code }) => code);
      expect(deviating.sort()).to.deep.equal([...CPV_CHECK_DIGIT_EXCEPTIONS.keys()].sort());
    });

    it('has a label for every division in the file, and no others', function () {
      const divisions = new Set(load(this).map(({ code }) => code.slice(0, 2)));
      expect([...divisions].sort()).to.deep.equal(Object.keys(CPV_DIVISIONS).sort());
    });

    it('places every code under a published ancestor', function () {
      const all = load(this);
      const published = new Set(all.map((r) => r.code));
      let skipsLevel = 0;
      for (const { code } of all) {
        const ancestors = cpvAncestors(code);
        if (cpvLevel(code) === 'division') continue;
        expect(ancestors.some((a) => published.has(a)), code).to.equal(true);
        if (!published.has(ancestors[0] ?? '')) skipsLevel++;
      }
      expect(skipsLevel, 'codes whose structural parent is unpublished (see cpvParent)').to.equal(35);
    });
  });
});

describe('shared-data helper', () => {
  const saved = process.env.CI;
  afterEach(() => {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  });

  it('returns null for a missing file outside CI and throws in CI', () => {
    delete process.env.CI;
    expect(sharedDataPath('no-such-dir', 'missing.csv')).to.equal(null);
    process.env.CI = 'true';
    expect(() => sharedDataPath('no-such-dir', 'missing.csv')).to.throw(/missing in CI/);
  });
});
