import { expect } from 'chai';
import {
  CAPABILITIES, EFORMS_CRITERIA, REQUIREMENTS, RESERVED_ELIGIBLE, SATISFIES, SUPPORTS, capabilitiesInForce, criterionLabel, isCapability,
  isRequirement, requirementLabel, satisfies,
} from '../../src/domain/csr.ts';

const labelled = (label: { sv: string; en: string }) => label.sv.trim() !== '' && label.en.trim() !== '';

describe('csr taxonomy', () => {
  it('every requirement has Swedish and English labels and a capability that satisfies it', () => {
    for (const [code, label] of Object.entries(REQUIREMENTS)) {
      expect(labelled(label), code).to.equal(true);
      expect(isRequirement(code)).to.equal(true);
      const by = SATISFIES[code as keyof typeof SATISFIES];
      expect(by, code).to.be.an('array').with.length.greaterThan(0);
      for (const capability of by) expect(isCapability(capability), `${code} ← ${capability}`).to.equal(true);
    }
    expect(Object.keys(SATISFIES).sort()).to.deep.equal(Object.keys(REQUIREMENTS).sort());
  });

  it('every capability, criterion and objective is labelled in both languages and refers to real codes', () => {
    for (const [code, label] of Object.entries(CAPABILITIES)) expect(labelled(label), code).to.equal(true);
    for (const [kind, list] of Object.entries(EFORMS_CRITERIA)) {
      for (const [code, label] of Object.entries(list)) expect(labelled(label), `${kind}:${code}`).to.equal(true);
    }
    for (const [key, capabilities] of Object.entries(SUPPORTS)) {
      const [kind, code] = key.split(':');
      expect(Object.hasOwn(EFORMS_CRITERIA[kind as keyof typeof EFORMS_CRITERIA] ?? {}, code), key).to.equal(true);
      for (const capability of capabilities) expect(isCapability(capability), `${key} ← ${capability}`).to.equal(true);
    }
    for (const capability of RESERVED_ELIGIBLE) expect(isCapability(capability)).to.equal(true);
  });

  it('capabilitiesInForce drops certificates that expired before today', () => {
    const held = [
      { capability: 'iso-14001', validUntil: '2026-11-26' },
      { capability: 'svanen', validUntil: '2026-11-27' },
      { capability: 'iso-9001', validUntil: '2028-01-31' },
      { capability: 'collective-agreement', validUntil: null },
    ];
    expect([...capabilitiesInForce(held, '2026-11-27')].sort()).to.deep.equal(['collective-agreement', 'iso-9001', 'svanen']);
    expect([...capabilitiesInForce(held, '2026-11-28')].sort()).to.deep.equal(['collective-agreement', 'iso-9001']);
    expect([...capabilitiesInForce(held, '2026-01-01')]).to.have.length(4);
  });

  it('satisfies: any listed capability; an unknown requirement needs the capability of the same name', () => {
    expect(satisfies('iso-14001', new Set(['emas']))).to.equal(true);
    expect(satisfies('iso-14001', new Set(['iso-9001']))).to.equal(false);
    expect(satisfies('employment-requirement', new Set(['apprenticeships']))).to.equal(true);
    expect(satisfies('mobelfakta', new Set(['mobelfakta']))).to.equal(true);
    expect(satisfies('mobelfakta', new Set())).to.equal(false);
  });

  it('labels fall back to the code itself', () => {
    expect(requirementLabel('iso-14001')).to.deep.equal({ sv: 'ISO 14001 eller EMAS', en: 'ISO 14001 or EMAS' });
    expect(requirementLabel('x-unknown')).to.deep.equal({ sv: 'x-unknown', en: 'x-unknown' });
    expect(criterionLabel('social', 'work-cond').sv).to.equal('Rättvisa arbetsvillkor');
    expect(criterionLabel('green', 'x-unknown')).to.deep.equal({ sv: 'x-unknown', en: 'x-unknown' });
  });
});
