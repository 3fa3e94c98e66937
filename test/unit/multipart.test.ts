import { expect } from 'chai';
import { boundaryOf, parseMultipart } from '../../src/web/staff/multipart.ts';

describe('multipart/form-data (the import upload)', () => {
  const body = (boundary: string, parts: string[]) => Buffer.from(`--${boundary}\r\n${parts.join(`\r\n--${boundary}\r\n`)}\r\n--${boundary}--\r\n`, 'latin1');

  it('finds the boundary, quoted or not, and only in multipart/form-data', () => {
    expect(boundaryOf('multipart/form-data; boundary=----WebKitFormBoundaryAbc')).to.equal('----WebKitFormBoundaryAbc');
    expect(boundaryOf('multipart/form-data; boundary="a b"')).to.equal('a b');
    expect(boundaryOf('application/x-www-form-urlencoded')).to.equal(null);
    expect(boundaryOf(undefined)).to.equal(null);
  });

  it('splits fields and a file, keeping the file’s bytes (CRLF and all) as sent', () => {
    const file = 'a,b\r\n1,2\r\n--not-the-boundary\r\n';
    const parsed = parseMultipart(body('XyZ', [
      'Content-Disposition: form-data; name="_csrf"\r\n\r\ntoken',
      'Content-Disposition: form-data; name="format"\r\n\r\nuhm',
      `Content-Disposition: form-data; name="file"; filename="stat \\"2021\\".csv"\r\nContent-Type: text/csv\r\n\r\n${file}`,
    ]), 'XyZ');
    expect(parsed?.fields).to.deep.equal({ _csrf: 'token', format: 'uhm' });
    expect(parsed?.files).to.have.length(1);
    expect(parsed!.files[0]).to.include({ field: 'file', filename: 'stat "2021".csv', type: 'text/csv' });
    expect(parsed!.files[0].data.toString('latin1')).to.equal(file);
  });

  it('an empty file input is a file part without a name or bytes', () => {
    const parsed = parseMultipart(body('b', ['Content-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n']), 'b');
    expect(parsed!.files[0]).to.include({ filename: '' });
    expect(parsed!.files[0].data.length).to.equal(0);
  });

  it('a truncated or foreign body is not multipart', () => {
    expect(parseMultipart(Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nno end'), 'b')).to.equal(null);
    expect(parseMultipart(Buffer.from('hello'), 'b')).to.equal(null);
  });
});
