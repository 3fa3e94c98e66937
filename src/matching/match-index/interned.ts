import { grow } from './typed-lists.ts';

/**
 * Distinct filter values (a kind list, a keyword query…) by number, each
 * decided once per notice: `pass[id]` holds where `stamp[id]` is the search's.
 */
export class Interned<T> {
  private readonly ids = new Map<string, number>();
  readonly values: T[] = [];
  stamp = new Uint32Array(0);
  pass = new Uint8Array(0);

  id(value: T): number {
    // Lists of strings (the common case) keyed without JSON: each item's length, then the item.
    const key = Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.map((v: string) => `${v.length}:${v}`).join('') : JSON.stringify(value);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.push(value) - 1;
      this.ids.set(key, id);
    }
    return id;
  }

  /** Sizes the per-search arrays to the values held. */
  fit(): void {
    this.stamp = grow(this.stamp, this.values.length);
    this.pass = grow(this.pass, this.values.length);
  }
}
