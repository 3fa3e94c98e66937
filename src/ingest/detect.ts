// Which parser a file needs, judged from its first few KB rather than its name.

import { detectLedger } from './ledgers.ts';

export type IngestFormat = 'eforms' | 'ocds' | 'uhm' | 'supplier-register' | 'invoices';
/** Every --format / ?format= value. */
export const INGEST_FORMATS = ['auto', 'eforms', 'ocds', 'uhm', 'supplier-register', 'invoices'] as const;

/**
 * gzip → uhm (the only compressed format we take: UHM's statistics exports);
 * `<` → eforms (the XML parser rejects legacy TED schemas itself); `{` or `[`
 * → ocds; a `;`/`,` separated header naming Upphandlings-ID → uhm; a header of a
 * supplier register or of invoices (src/ingest/ledgers.ts) → that. A byte-order
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
  return fields.length > 1 ? detectLedger(header) : null;
}
