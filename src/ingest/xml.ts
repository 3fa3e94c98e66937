/**
 * Safe XML in: a document → its element tree, and lookups over that tree.
 *
 * txml builds the tree (the fastest parser measured here) but is lenient: it
 * expands no entities, yet it also accepts truncated or mismatched markup. So
 * one cheap pass over the raw text runs first (rejecting DOCTYPE/ENTITY
 * declarations before anything is parsed) and the tree is then checked
 * against the end tags that pass found. Every fault is a RejectedError.
 *
 * Elements are matched on their local name, whatever the namespace prefix.
 * Lookups are short linear scans of one element's children: a notice has a
 * few hundred elements and a mapping touches only a small part of them, so
 * indexing children would cost more than it saves.
 */
import { parse, type TNode } from 'txml/txml';
import { RejectedError, reject } from './rejected.ts';

export type El = TNode;

export interface XmlDocumentOptions {
  /** Longest document accepted, in characters. */
  maxLength: number;
  /** Called with the root element's qualified name before the tree is built; rejects what the caller does not read. */
  checkRoot(qualifiedName: string): void;
}

/** The root element of a well-formed document without a DTD. */
export function parseXmlDocument(xml: string, options: XmlDocumentOptions): El {
  if (typeof xml !== 'string') reject('not a text document');
  if (!/\S/.test(xml)) reject('empty document');
  if (xml.length > options.maxLength) reject(`document too large (${xml.length} characters)`);
  const scan = scanMarkup(xml);
  options.checkRoot(scan.rootName);

  let nodes: (El | string)[];
  try {
    // No void elements in XML: without this txml treats <link>, <meta>, … as empty.
    nodes = parse(xml, { selfClosingTags: [] });
  } catch (error) {
    // txml recurses per level: hostile nesting overflows the stack.
    if (error instanceof RangeError) reject('malformed XML: nested too deeply');
    reject(`malformed XML: ${String((error as Error).message).split('\n')[0]}`);
  }
  const root = singleRoot(nodes);
  checkEndTags(xml, root, scan.endTags);
  return root;
}

// ---------------------------------------------------------------------------
// Document checks

interface Scan {
  rootName: string;
  /** Where each end tag's name starts, in document order. */
  endTags: number[];
}

/**
 * One pass over the markup, jumping from `<` to `<`: rejects declarations
 * before anything is parsed, skips comments, CDATA and processing
 * instructions, and notes the root element's name and where every end tag is.
 */
function scanMarkup(xml: string): Scan {
  const endTags: number[] = [];
  let rootName = '';
  let i = xml.indexOf('<');
  while (i !== -1) {
    const next = xml.charCodeAt(i + 1);
    if (next === 47 /* / */) {
      endTags.push(i + 2);
      i = xml.indexOf('<', i + 2);
    } else if (next === 33 /* ! */) {
      i = xml.indexOf('<', skipBang(xml, i));
    } else if (next === 63 /* ? */) {
      i = xml.indexOf('<', closeOf(xml, i, '?>', 'processing instruction'));
    } else {
      if (rootName === '') rootName = xml.slice(i + 1, nameEnd(xml, i + 1));
      i = xml.indexOf('<', i + 1);
    }
  }
  if (rootName === '') reject('malformed XML: no root element');
  return { rootName, endTags };
}

function closeOf(xml: string, start: number, terminator: string, what: string): number {
  const end = xml.indexOf(terminator, start + 2);
  if (end === -1) reject(`malformed XML: unterminated ${what}`);
  return end + terminator.length;
}

/** End of a comment or CDATA section; any other `<!` is a declaration. */
function skipBang(xml: string, i: number): number {
  if (xml.startsWith('<!--', i)) return closeOf(xml, i + 2, '-->', 'comment');
  if (xml.startsWith('<![CDATA[', i)) return closeOf(xml, i + 7, ']]>', 'CDATA section');
  // Entity expansion (billion laughs) and external entities (XXE) both need a
  // DTD; eForms never has one, so no DTD is accepted at all.
  const word = xml.slice(i + 2, nameEnd(xml, i + 2)).toUpperCase();
  if (word === 'DOCTYPE') reject('DOCTYPE declaration not allowed (entity expansion / external entities)');
  if (word === 'ENTITY') reject('ENTITY declaration not allowed (entity expansion / external entities)');
  return reject(`markup declaration <!${word.slice(0, 20)} not allowed`);
}

function nameEnd(xml: string, from: number): number {
  let j = from;
  for (;;) {
    const c = xml.charCodeAt(j);
    // NaN past the end; whitespace, '>', '/' and '[' end a name.
    if (Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13 || c === 62 || c === 47 || c === 91) return j;
    j++;
  }
}

/** Exactly one element at the top, nothing but the XML declaration beside it. */
function singleRoot(nodes: (El | string)[]): El {
  let root: El | undefined;
  for (const node of nodes) {
    if (typeof node === 'string') reject('malformed XML: text outside the root element');
    if (node.tagName.startsWith('?')) continue;
    if (root) reject('malformed XML: more than one root element');
    root = node;
  }
  if (!root) reject('malformed XML: no root element');
  return root;
}

/**
 * txml stops silently at the end of a truncated document and accepts an end
 * tag whose name merely contains the element's name. In well-formed XML the
 * end tags, in document order, are exactly the elements not written `<x/>`,
 * in post-order (the order a parser closes them), so both faults show up by
 * pairing the two lists.
 */
function checkEndTags(xml: string, root: El, endTags: number[]): void {
  let closed: number;
  try {
    closed = closeAll(xml, root, endTags, 0);
  } catch (error) {
    if (error instanceof RejectedError) throw error;
    reject('malformed XML: nested too deeply'); // stack overflow on hostile nesting
  }
  if (closed !== endTags.length) reject('malformed XML: unexpected end tag');
}

/** Pairs the elements under `el`, in post-order, with end tags from index k on; returns the next index. */
function closeAll(xml: string, el: El, endTags: number[], k: number): number {
  const kids = el.children;
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i];
    if (typeof kid !== 'string') k = closeAll(xml, kid, endTags, k);
  }
  if (el.selfClosed || el.tagName.charCodeAt(0) === 63 /* ? */) return k;
  const at = endTags[k];
  if (at === undefined) reject(`malformed XML: <${el.tagName.slice(0, 60)}> is not closed (truncated document?)`);
  if (!endTagMatches(xml, at, el.tagName)) reject(`malformed XML: mismatched end tag for <${el.tagName.slice(0, 60)}>`);
  return k + 1;
}

/**
 * txml has already checked that this end tag contains the name, so an end
 * tag of the same length is the name itself: one character to look at.
 * (String comparison is the slow part here, so it is kept for the rare
 * `</name >` form.)
 */
function endTagMatches(xml: string, at: number, name: string): boolean {
  const after = xml.charCodeAt(at + name.length);
  if (after === 62 /* > */) return xml.charCodeAt(at) === name.charCodeAt(0);
  const end = xml.indexOf('>', at);
  return end !== -1 && xml.startsWith(name, at) && xml.slice(at + name.length, end).trim() === '';
}

// ---------------------------------------------------------------------------
// Tree helpers (local names, so any namespace prefix works)

export function localName(tag: string): string {
  return tag.slice(tag.indexOf(':') + 1);
}

function is(el: El, local: string): boolean {
  const tag = el.tagName;
  const prefix = tag.length - local.length;
  if (prefix === 0) return tag === local;
  return prefix > 0 && tag.charCodeAt(prefix - 1) === 58 /* : */ && tag.endsWith(local);
}

export function child(el: El | undefined, local: string): El | undefined {
  if (el) for (const c of el.children) if (typeof c !== 'string' && is(c, local)) return c;
  return undefined;
}

export function children(el: El | undefined, local: string): El[] {
  const found: El[] = [];
  if (el) for (const c of el.children) if (typeof c !== 'string' && is(c, local)) found.push(c);
  return found;
}

/** el/a[1]/b[1]/… */
export function first(el: El | undefined, ...path: string[]): El | undefined {
  let at = el;
  for (const step of path) at = child(at, step);
  return at;
}

/** Every el/a/b/… */
export function all(el: El | undefined, ...path: string[]): El[] {
  let level = el ? [el] : [];
  for (const step of path) {
    const next: El[] = [];
    for (const e of level) for (const c of e.children) if (typeof c !== 'string' && is(c, step)) next.push(c);
    level = next;
  }
  return level;
}

export function attr(el: El | undefined, name: string): string | null {
  return el?.attributes[name] ?? null;
}

/** Trimmed text content, entities decoded; null when empty. */
export function text(el: El | undefined): string | null {
  if (!el) return null;
  let s = '';
  for (const c of el.children) if (typeof c === 'string') s += c;
  s = s.trim();
  if (s === '') return null;
  return s.includes('&') ? decodeEntities(s) : s;
}

const ENTITY = /&(?:#[xX]([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(ENTITY, (match, hex?: string, dec?: string, named?: string) => {
    if (named) return NAMED[named];
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}
