// A multipart/form-data body (RFC 7578), already read into memory within the
// import limit, split into its fields and files. Enough for the import form's
// one file and few fields; no dependency needed for that.
export type Multipart = {
  fields: Record<string, string>;
  files: { field: string; filename: string; type: string; data: Buffer }[];
};

/** The boundary of a multipart/form-data content type, or null for any other type. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** Splits the body; a body that is not well-formed multipart gives null. */
export function parseMultipart(body: Buffer, boundary: string): Multipart | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const result: Multipart = { fields: {}, files: [] };
  let at = body.indexOf(delimiter);
  if (at === -1) return null;
  for (;;) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString() === '--') return result; // the closing delimiter
    if (body.subarray(after, after + 2).toString() !== '\r\n') return null;
    const headersEnd = body.indexOf(CRLF2, after + 2);
    if (headersEnd === -1) return null;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next === -1) return null;
    const headers = body.subarray(after + 2, headersEnd).toString('utf8');
    const content = body.subarray(headersEnd + 4, next);
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = param(disposition, 'name');
    const filename = param(disposition, 'filename');
    if (name !== null) {
      if (filename !== null) {
        const type = /^content-type:\s*([^\r\n;]+)/im.exec(headers)?.[1].trim().toLowerCase() ?? 'application/octet-stream';
        result.files.push({ field: name, filename, type, data: content });
      } else {
        result.fields[name] = content.toString('utf8');
      }
    }
    at = next + 2;
  }
}

/** A parameter of Content-Disposition: `name="x"` (quoted, as browsers send it) or bare. */
function param(disposition: string, key: string): string | null {
  const match = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(disposition);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}
