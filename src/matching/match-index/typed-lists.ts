// Growable typed arrays. The index keeps subscriptions and per-search scratch
// in typed arrays rather than objects: compact, and read in sequence.

export type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

/** The array itself when it already holds `size`; else a copy at least twice as long. */
export function grow<A extends TypedArray>(array: A, size: number): A {
  if (array.length >= size) return array;
  const grown = new (array.constructor as new (n: number) => A)(Math.max(size, 2 * array.length));
  grown.set(array);
  return grown;
}

/** A growable Int32Array. */
export class IntList {
  data = new Int32Array(64);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) this.data = grow(this.data, this.length + 1);
    this.data[this.length++] = value;
  }
}

/** A growable Float64Array. */
export class FloatList {
  data = new Float64Array(64);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) this.data = grow(this.data, this.length + 1);
    this.data[this.length++] = value;
  }
}
