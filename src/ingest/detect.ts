// Which parser a file needs, judged from its first few KB rather than its name.

export type IngestFormat = 'eforms' | 'ocds' | 'uhm';

/**
 * gzip → uhm (the only compressed format we take: UHM's statistics exports);
 * `<` → eforms (the XML parser rejects legacy TED schemas itself); `{` or `[`
 * → ocds; a `;`/`,` separated header naming Upphandlings-ID → uhm. A byte-order
 * mark and leading whitespace are skipped. Anything else is null.
 */
export function detectFormat(head: Buffer): IngestFormat | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'uhm';
  // A multi-byte character cut at the end of `head` decodes to U+FFFD: harmless here.
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart();
  if (text.startsWith('<')) return 'eforms';
  if (text.startsWith('{') || text.startsWith('[')) return 'ocds';
  const header = text.split(/\r?\n/, 1)[0];
  const fields = header.split(/[;,]/).map((f) => f.trim().replace(/^"|"$/g, ''));
  if (fields.length > 1 && fields.includes('Upphandlings-ID')) return 'uhm';
  return null;
}
