// Text that shows what it is. Feeds and forms bring characters that are
// invisible on screen yet act elsewhere: a CR/LF in a name becomes a new line
// in an e-mail header or a log record, NUL and other C0/C1 controls upset
// terminals and parsers, and bidirectional overrides and isolates make a text
// display differently from what it is (the "Trojan Source" trick: a buyer name
// that reads right but sorts, searches and matches as something else).

/** C0 controls except tab and line feed, DEL, C1 controls, bidi overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /\r\n?/g;
const WHITESPACE_CONTROLS = /[\t\n\r\v\f]+/g;

/**
 * The text without those characters. One line (titles, names, e-mail
 * headers) by default: tabs and line breaks become one space, so words stay
 * apart. `multiline` (descriptions) keeps tabs and line feeds, CRLF and CR
 * becoming LF. Nothing else changes; trimming is the caller's business.
 */
export function cleanText(value: string, options: { multiline?: boolean } = {}): string {
  if (options.multiline) return value.replace(LINE_BREAKS, '\n').replace(INVISIBLE, '');
  return value.replace(WHITESPACE_CONTROLS, ' ').replace(INVISIBLE, '');
}

/** Text made safe inside HTML (element content and quoted attributes). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
