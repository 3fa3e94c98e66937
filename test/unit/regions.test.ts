import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import {
  BUILT_IN_MUNICIPALITIES, COUNTY_NUTS3, DEFAULT_LOCAL_AREA, inRegion, isMunicipalityCode, isNuts, municipalityFromName, municipalityNuts3,
} from '../../src/domain/regions.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

describe('regions', () => {
  it('a municipality code has four digits and an existing county', () => {
    expect(isMunicipalityCode('1441')).to.equal(true);
    expect(isMunicipalityCode('0180')).to.equal(true);
    expect(isMunicipalityCode('1141')).to.equal(false); // county 11 was merged into 12 (Skåne)
    expect(isMunicipalityCode('144')).to.equal(false);
    expect(isMunicipalityCode('SE232')).to.equal(false);
  });

  it('recognises NUTS codes', () => {
    for (const code of ['SE', 'SE2', 'SE23', 'SE232', 'DK014']) expect(isNuts(code), code).to.equal(true);
    for (const code of ['1441', 'SE2321', 'se232']) expect(isNuts(code), code).to.equal(false);
  });

  it('maps a municipality to the NUTS-3 region of its county', () => {
    expect(municipalityNuts3('1441')).to.equal('SE232'); // Lerum, Västra Götaland
    expect(municipalityNuts3('0180')).to.equal('SE110'); // Stockholm
    expect(municipalityNuts3('1280')).to.equal('SE224'); // Malmö, Skåne
    expect(municipalityNuts3('9999')).to.equal(null);
  });

  it('inRegion: municipality codes need the municipality; NUTS codes match by prefix', () => {
    const lerum = { municipalities: ['1441'], nuts: [] };
    const nutsOnly = { municipalities: [], nuts: ['SE232'] };
    expect(inRegion('1441', lerum)).to.equal(true);
    expect(inRegion('1402', lerum)).to.equal(false);
    expect(inRegion('1441', nutsOnly)).to.equal(false);
    for (const region of ['SE', 'SE2', 'SE23', 'SE232']) {
      expect(inRegion(region, lerum), region).to.equal(true);
      expect(inRegion(region, nutsOnly), region).to.equal(true);
    }
    expect(inRegion('SE231', lerum)).to.equal(false);
    expect(inRegion('SE1', nutsOnly)).to.equal(false);
    expect(inRegion('SE232', { municipalities: [], nuts: [] })).to.equal(false);
  });

  it('the built-in local area is Lerum and its neighbours, all in Västra Götaland', () => {
    expect(DEFAULT_LOCAL_AREA).to.include.members(['1441', '1402', '1480', '1401']);
    for (const m of BUILT_IN_MUNICIPALITIES) expect(municipalityNuts3(m.code), m.name).to.equal('SE232');
  });

  it('municipalityFromName reads kommun and stad forms', () => {
    for (const name of ['Lerums kommun', 'Lerum', 'lerum kommun', ' Lerums kommun ']) {
      expect(municipalityFromName(name, BUILT_IN_MUNICIPALITIES), name).to.equal('1441');
    }
    expect(municipalityFromName('Göteborgs Stad', BUILT_IN_MUNICIPALITIES)).to.equal('1480');
    expect(municipalityFromName('Lerums Energi AB', BUILT_IN_MUNICIPALITIES)).to.equal(null);
  });

  it('COUNTY_NUTS3 agrees with every row of the shared NUTS-3 list', function () {
    const path = requireSharedData(this, 'regions', 'se_nuts3_counties.csv');
    const rows: { nuts3_code: string; county_code: string; label_sv: string }[] = parse(readFileSync(path), { columns: true });
    const counties = rows.filter((r) => r.county_code !== ''); // SEZZZ (Extra-Regio) has no county
    expect(counties).to.have.length(21);
    for (const row of counties) expect(COUNTY_NUTS3[row.county_code], `${row.county_code} ${row.label_sv}`).to.equal(row.nuts3_code);
    expect(Object.keys(COUNTY_NUTS3).sort()).to.deep.equal(counties.map((r) => r.county_code).sort());
  });
});
