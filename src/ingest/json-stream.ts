// JSON in, with memory bounded however large the input: a small document goes
// to JSON.parse whole (several times faster); a large one is tokenized by
// stream-json and only one unit at a time (an element of a chosen top-level
// array) is built into a value. What a unit is and what becomes of it is the
// caller's (JsonUnits); this module knows only JSON.
import { StringDecoder } from 'node:string_decoder';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import type { Chunk } from './chunks.ts';
import { RejectedError } from './rejected.ts';

export type JsonObject = Record<string, unknown>;

/** A whole document's value; a byte-order mark is skipped. */
export function parseJsonDocument(bytes: Buffer): unknown {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw new RejectedError('malformed JSON: empty input');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RejectedError(`malformed JSON: ${(error as Error).message}`);
  }
}

/** How one kind of document is read as a stream of units. */
export interface JsonUnits<T> {
  /** The reason a top-level value that is neither object nor array is refused with. */
  readonly notContainer: string;
  /** What a unit is called, in the reason a runaway one is refused with. */
  readonly unitName: string;
  /**
   * A value of the root object begins under `key`: stream its elements one by
   * one ('stream', arrays only), skip it unread, or keep it whole in `root`.
   */
  rootValue(key: string, isArray: boolean, root: JsonObject): 'stream' | 'skip' | 'keep';
  /** One element of a streamed array: under `key`, or of a root array (key null). */
  element(value: unknown, index: number, key: string | null): Iterable<T>;
  /** The document is complete; `root` holds the kept values of a root object, null for a root array. */
  end(root: JsonObject | null): Iterable<T>;
}

/** Tokens of one unit; far above any real one, it bounds memory on hostile input. */
const MAX_TOKENS_PER_UNIT = 5_000_000;

/** What `units` makes of the document, yielded as each chunk of input is read. */
export async function* streamJson<T>(chunks: AsyncIterable<Chunk>, units: JsonUnits<T>): AsyncGenerator<T> {
  const tokenize = jsonParser({ streamValues: false });
  const decoder = new StringDecoder('utf8');
  const walker = new Walker(units);
  let first = true;
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    walker.noteText(text);
    let out;
    try {
      out = tokenize(text);
    } catch (error) {
      throw new RejectedError(`malformed JSON: ${(error as Error).message}`);
    }
    if (typeof out === 'object') walker.push(out.values);
    if (walker.items.length) {
      yield* walker.items;
      walker.items = [];
    }
  }
  walker.end();
  yield* walker.items;
}

/**
 * Builds one JSON value from packed tokens. Does what stream-json's Assembler
 * does, minus its generality: measured 15 % faster, and this loop is most of
 * the cost of a large feed.
 */
class ValueBuilder {
  value: unknown = undefined;
  tokens = 0;
  private stack: unknown[] = []; // parent, key, isArray triples
  private current: JsonObject | unknown[] | null = null;
  private key = '';
  private isArray = false;

  /** Feeds one token; true once the value is complete. */
  add(token: Token): boolean {
    this.tokens++;
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        if (this.current !== null) this.stack.push(this.current, this.key, this.isArray);
        this.isArray = token.name === 'startArray';
        this.current = this.isArray ? [] : {};
        return false;
      case 'endObject':
      case 'endArray': {
        const done = this.current;
        if (this.stack.length === 0) return this.save(done, true);
        this.isArray = this.stack.pop() as boolean;
        this.key = this.stack.pop() as string;
        this.current = this.stack.pop() as JsonObject | unknown[];
        return this.save(done, false);
      }
      case 'keyValue':
        this.key = token.value;
        return false;
      case 'stringValue':
        return this.save(token.value, this.current === null);
      case 'numberValue':
        return this.save(parseFloat(token.value), this.current === null);
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        return this.save(token.value, this.current === null);
      default:
        return false;
    }
  }

  private save(value: unknown, top: boolean): boolean {
    if (top) {
      this.value = value;
      return true;
    }
    if (this.isArray) (this.current as unknown[]).push(value);
    else if (this.key === '__proto__') {
      // like JSON.parse: an own property, never the prototype
      Object.defineProperty(this.current, '__proto__', { value, writable: true, enumerable: true, configurable: true });
    } else (this.current as JsonObject)[this.key] = value;
    return false;
  }
}

/**
 * A small state machine over the token stream. Outside a unit it tracks only
 * the top-level structure; inside one it feeds a ValueBuilder.
 */
class Walker<T> {
  items: T[] = [];
  private rootKind: 'none' | 'object' | 'array' = 'none';
  private rootDone = false;
  private sawText = false;
  private root: JsonObject = {};
  private key: string | null = null; // current top-level key
  private inArray: string | null = null; // key of the top-level array being streamed
  private index = 0; // element index in the streamed array
  private unit: ValueBuilder | null = null; // the element or top-level value being built
  private unitKey: string | null = null; // top-level key the unit belongs to, or null for an element
  private skip = 0; // depth of a value being skipped

  constructor(private units: JsonUnits<T>) {}

  noteText(text: string): void {
    if (!this.sawText && /\S/.test(text)) this.sawText = true;
  }

  push(tokens: Token[]): void {
    for (const token of tokens) {
      if (this.unit !== null) this.feed(token);
      else if (this.skip > 0) this.skipToken(token);
      else this.structural(token);
    }
  }

  end(): void {
    if (this.rootDone) {
      for (const item of this.units.end(this.rootKind === 'array' ? null : this.root)) this.items.push(item);
      return;
    }
    if (this.rootKind === 'none') {
      throw new RejectedError(this.sawText ? this.units.notContainer : 'malformed JSON: empty input');
    }
    throw new RejectedError('malformed JSON: unexpected end of input (truncated file?)');
  }

  private feed(token: Token): void {
    const unit = this.unit!;
    if (!unit.add(token)) {
      if (unit.tokens > MAX_TOKENS_PER_UNIT) {
        throw new RejectedError(`${this.units.unitName} too large (over ${MAX_TOKENS_PER_UNIT} JSON tokens)`);
      }
      return;
    }
    this.unit = null;
    if (this.unitKey !== null) this.root[this.unitKey] = unit.value;
    else for (const item of this.units.element(unit.value, this.index++, this.inArray)) this.items.push(item);
  }

  private startUnit(token: Token, key: string | null): void {
    this.unit = new ValueBuilder();
    this.unitKey = key;
    this.feed(token);
  }

  private skipToken(token: Token): void {
    if (token.name === 'startObject' || token.name === 'startArray') this.skip++;
    else if (token.name === 'endObject' || token.name === 'endArray') this.skip--;
  }

  private structural(token: Token): void {
    if (this.rootKind === 'none') return this.startRoot(token);
    if (this.rootDone) return; // the tokenizer rejects trailing data itself
    if (this.inArray !== null || this.rootKind === 'array') {
      if (token.name === 'endArray') return this.endArray();
      return this.startUnit(token, null);
    }
    // Inside the root object.
    if (token.name === 'keyValue') this.key = token.value;
    else if (token.name === 'endObject') this.rootDone = true;
    else this.rootValue(this.key!, token);
  }

  private startRoot(token: Token): void {
    if (token.name === 'startObject') this.rootKind = 'object';
    else if (token.name === 'startArray') this.rootKind = 'array';
    else throw new RejectedError(this.units.notContainer);
  }

  private rootValue(key: string, token: Token): void {
    const isArray = token.name === 'startArray';
    const action = this.units.rootValue(key, isArray, this.root);
    if (action === 'stream' && isArray) {
      this.inArray = key;
      this.index = 0;
    } else if (action === 'skip') {
      if (isArray || token.name === 'startObject') this.skip = 1;
    } else {
      this.startUnit(token, key);
    }
  }

  private endArray(): void {
    if (this.inArray !== null) this.inArray = null;
    else this.rootDone = true; // end of a top-level array
  }
}
