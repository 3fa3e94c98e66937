import { closeSync, openSync, readSync } from 'node:fs';
import { expect } from 'chai';
import { detectFormat } from '../../src/ingest/detect.ts';
import { sharedDataPath } from '../helpers/shared-data.ts';

const BOM = '\ufeff';
const detect = (text: string) => detectFormat(Buffer.from(text));

/** The first 4 KB of a file, as ingest hands them over. */
function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

describe('detectFormat', () => {
  it('takes gzip for UHM statistics', () => {
    expect(detectFormat(Buffer.from([0x1f, 0x8b, 0x08, 0x00]))).to.equal('uhm');
  });

  it('takes XML for eForms, after a BOM and whitespace', () => {
    expect(detect('<?xml version="1.0"?><ContractNotice/>')).to.equal('eforms');
    expect(detect(`${BOM}\r\n  <ContractNotice xmlns="urn:x"/>`)).to.equal('eforms');
  });

  it('takes JSON objects and arrays for OCDS', () => {
    expect(detect('{"releases": []}')).to.equal('ocds');
    expect(detect(`${BOM}\n\t[{"ocid": "x"}]`)).to.equal('ocds');
  });

  it('takes a CSV header naming Upphandlings-ID for UHM, with either separator', () => {
    expect(detect('År,Namn för köpare,Upphandlings-ID,"Antal upphandlingar, Summa"\n2021,X,MT1,1\n')).to.equal('uhm');
    expect(detect(`${BOM}"År";"Upphandlings-ID"\r\n2021;MT1\r\n`)).to.equal('uhm');
  });

  it('knows nothing else', () => {
    expect(detect('')).to.equal(null);
    expect(detect('   \n')).to.equal(null);
    expect(detect('id,title\n1,Upphandlings-ID\n')).to.equal(null); // only in the data, not the header
    expect(detect('Upphandlings-ID\n')).to.equal(null); // one column is no CSV header
    expect(detect('%PDF-1.7')).to.equal(null);
    expect(detectFormat(Buffer.from([0x1f]))).to.equal(null);
  });

  it('recognises the shared sample files', function () {
    const files: [string[], string][] = [
      [['ocds', 'fictional-example-1.1', 'ocds-213czf-000-00001.json'], 'ocds'],
      [['ocds', 'moldova-2017', 'releases', 'ocds-ngfbwp-16949496-16949496.json'], 'ocds'],
      [['sustainability', 'uhm-statistikdatabas-2021', 'number_of_procurements.csv.gz'], 'uhm'],
      [['sustainability', 'uhm-statistikdatabas-2021', 'sample_contracted_tenders_with_suppliers_first200.csv'], 'uhm'],
      [['sustainability', 'eu-gpp-criteria', 'gpp_criteria.json'], 'ocds'], // JSON, for the OCDS parser to refuse
    ];
    const present = files.filter(([parts]) => sharedDataPath(...parts) !== null);
    if (present.length === 0) this.skip();
    for (const [parts, format] of present) expect(detectFormat(head(sharedDataPath(...parts)!)), parts.join('/')).to.equal(format);
  });
});
