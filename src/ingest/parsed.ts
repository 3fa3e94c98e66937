// What every ingest parser hands on, and the value rules they share, so the
// three formats agree on what a usable date, amount or clipped text is.
import { isValidOrgNumber, parseOrgNumber } from '../domain/orgnr.ts';
import type { NoticeInputRaw } from '../notices/notice.schema.ts';
import { RejectedError } from './rejected.ts';

/** Why one release or row of a feed was skipped; the rest of the file still counts. */
export type Rejection = { rejected: string; ref: string };
/** One unit of a parsed feed: a notice, or why one release/row was skipped. */
export type ParsedItem = { notice: NoticeInputRaw } | Rejection;

export type Kind = NonNullable<NoticeInputRaw['kind']>;
export type LotRaw = NonNullable<NoticeInputRaw['lots']>[number];
export type AwardRaw = NonNullable<NoticeInputRaw['awards']>[number];
export type LinksRaw = NonNullable<NoticeInputRaw['links']>;
export type CriteriaRaw = NonNullable<NoticeInputRaw['criteria']>;
export type CpvRaw = { main: string; additional: string[] };
export type Money = { amount: number; currency: string };

/**
 * Passes a feed's items on. When not one of them is a notice, the whole file
 * is refused with the reason `noNotice` gives (callers buffer per file, so
 * the rejections already yielded go with it).
 */
export async function* requireNotice(
  items: AsyncIterable<ParsedItem>,
  noNotice: (firstRejection: Rejection | null) => string,
): AsyncGenerator<ParsedItem> {
  let notices = 0;
  let firstRejection: Rejection | null = null;
  for await (const item of items) {
    if ('notice' in item) notices++;
    else firstRejection ??= item;
    yield item;
  }
  if (notices === 0) throw new RejectedError(noNotice(firstRejection));
}

/** `no usable row (first: no title at row 3)`; `empty` stands in when nothing was rejected either. */
export function noUsable(unit: string, firstRejection: Rejection | null, empty: string): string {
  const why = firstRejection ? `first: ${firstRejection.rejected} at ${firstRejection.ref}` : empty;
  return `no usable ${unit} (${why})`;
}

/** A trimmed non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  return s ? s : undefined;
}

/** At most `max` characters, with no white space left dangling where it was cut. */
export function clip(value: string, max: number): string;
export function clip(value: string | null | undefined, max: number): string | null;
export function clip(value: string | null | undefined, max: number): string | null {
  if (value === undefined || value === null) return null;
  return value.length > max ? value.slice(0, max).trim() : value;
}

/** `2024-05-02` as it is: a day without a time (and one that exists: Date.parse takes 02-30 for 03-02). */
export function calendarDate(value: unknown): string | null {
  const s = str(value);
  return s && /^\d{4}-\d{2}-\d{2}$/.test(s) && isoDate(s)?.startsWith(s) ? s : null;
}

/** ISO-8601 UTC; a date or a time without zone is read as UTC (OCDS requires a zone anyway). */
export function isoDate(value: unknown): string | null {
  let s = str(value);
  if (!s) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += 'T00:00:00Z';
  else if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += 'Z';
  const t = Date.parse(s);
  if (Number.isNaN(t) || t < -30610224000000 || t > 253402300799000) return null; // years 1000–9999
  return new Date(t).toISOString();
}

/** An amount with its ISO 4217 currency, or null when either is unusable (negative, not finite, no code). */
export function money(amount: number, currency: string | null | undefined): Money | null {
  const code = currency?.trim().toUpperCase();
  if (!Number.isFinite(amount) || amount < 0 || !code || !/^[A-Z]{3}$/.test(code)) return null;
  return { amount, currency: code };
}

/** The ten digits of a valid organisationsnummer (with allowPersonal, a sole trader's personnummer too), else null. */
export function orgNumberDigits(value: string, allowPersonal = false): string | null {
  return isValidOrgNumber(value, { allowPersonal }) ? parseOrgNumber(value, { allowPersonal }).digits : null;
}
