// The two tables staff import for the statistics (issue 14), told apart by
// their header: a supplier register (organisationsnummer, name, kommunkod or
// postnummer) and accounts-payable invoices (date, supplier organisationsnummer,
// supplier name, amount excluding VAT, optionally account or category).
// CSV with "," or ";" (Swedish Excel), UTF-8 with or without BOM, at most a few
// hundred thousand rows: read whole. Each bad row is named with its line.
import { parse } from 'csv-parse/sync';
import { isMunicipalityCode } from '../domain/regions.ts';
import { orgNumberDigits } from './parsed.ts';
import { RejectedError } from './rejected.ts';

export type LedgerFormat = 'supplier-register' | 'invoices';
export type RowRejection = { ref: string; reason: string };

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_.-]+/g, '');
const ALIASES = {
  org: ['organisationsnummer', 'orgnr', 'orgnummer', 'orgnumber', 'organisationnumber', 'leverantörensorganisationsnummer', 'leverantörorgnr', 'leverantörsorgnr', 'supplierorgnumber', 'supplierorgnr'],
  name: ['namn', 'name', 'företagsnamn', 'leverantör', 'leverantörsnamn', 'leverantörnamn', 'suppliername', 'supplier'],
  municipality: ['kommunkod', 'kommun', 'municipalitycode', 'municipality'],
  postal: ['postnummer', 'postnr', 'postalcode', 'postcode'],
  date: ['datum', 'fakturadatum', 'bokföringsdatum', 'date', 'invoicedate'],
  amount: ['belopp', 'beloppexklmoms', 'beloppexmoms', 'amount', 'amountexclvat', 'nettobelopp'],
  account: ['konto', 'kategori', 'account', 'category'],
  buyer: ['köpare', 'köparensorganisationsnummer', 'buyer', 'buyerorgnumber'],
  reference: ['fakturanummer', 'verifikationsnummer', 'invoicenumber', 'reference', 'referens'],
} as const;
type Field = keyof typeof ALIASES;

function columnsOf(header: string[]): Partial<Record<Field, number>> {
  const out: Partial<Record<Field, number>> = {};
  header.forEach((h, i) => {
    const n = norm(h);
    for (const [field, names] of Object.entries(ALIASES) as [Field, readonly string[]][]) {
      if (out[field] === undefined && names.includes(n)) out[field] = i;
    }
  });
  return out;
}

function delimiterOf(text: string): string {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  return line.split(';').length > line.split(',').length ? ';' : ',';
}

function headerLine(text: string): string[] {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  return line.split(delimiterOf(text)).map((f) => f.trim().replace(/^"|"$/g, ''));
}

/** Which of the two a CSV is, from its header; null for neither. */
export function detectLedger(head: string): LedgerFormat | null {
  const c = columnsOf(headerLine(head));
  if (c.org === undefined && c.name === undefined) return null;
  if (c.amount !== undefined && c.date !== undefined) return 'invoices';
  if (c.org !== undefined && c.name !== undefined && (c.municipality !== undefined || c.postal !== undefined)) return 'supplier-register';
  return null;
}

function records(text: string): { header: string[]; rows: string[][] } {
  try {
    const all = parse(text, { delimiter: delimiterOf(text), bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
    if (!all.length) throw new RejectedError('empty file');
    return { header: all[0], rows: all.slice(1) };
  } catch (error) {
    if (error instanceof RejectedError) throw error;
    throw new RejectedError(`malformed CSV: ${(error as Error).message}`);
  }
}

export type RegisterEntry = { orgNumber: string; name: string; municipalityCode: string | null; postalCode: string | null; ref: string };

export function parseSupplierRegister(text: string): { entries: RegisterEntry[]; rejected: RowRejection[] } {
  const { header, rows } = records(text);
  const c = columnsOf(header);
  if (c.org === undefined || c.name === undefined || (c.municipality === undefined && c.postal === undefined)) {
    throw new RejectedError('not a supplier register: the header needs organisationsnummer, namn and kommunkod or postnummer');
  }
  const entries: RegisterEntry[] = [];
  const rejected: RowRejection[] = [];
  rows.forEach((r, i) => {
    const ref = `line ${i + 2}`;
    const get = (f: Field) => (c[f] === undefined ? '' : (r[c[f]!] ?? '').trim());
    const org = orgNumberDigits(get('org'), true);
    if (!org) return void rejected.push({ ref, reason: `not an organisationsnummer: "${get('org')}"` });
    const name = get('name');
    if (!name) return void rejected.push({ ref, reason: 'no name' });
    const kommun = get('municipality');
    const postal = get('postal').replace(/\s/g, '');
    if (kommun && !isMunicipalityCode(kommun)) return void rejected.push({ ref, reason: `not a kommunkod: "${kommun}"` });
    if (postal && !/^\d{5}$/.test(postal)) return void rejected.push({ ref, reason: `not a postnummer: "${get('postal')}"` });
    if (!kommun && !postal) return void rejected.push({ ref, reason: 'neither kommunkod nor postnummer' });
    entries.push({ orgNumber: org, name: name.slice(0, 500), municipalityCode: kommun || null, postalCode: postal || null, ref });
  });
  return { entries, rejected };
}

export type InvoiceLine = { day: string; orgNumber: string | null; name: string; amount: number; account: string | null; buyerOrg: string | null; reference: string | null; ref: string };

/** "1 234,50", "-1234.5", "1234,50 kr" → a number; null when it is none. */
function amountOf(value: string): number | null {
  let s = value.replace(/\s|kr|sek/gi, '').replace(/\u2212/g, '-');
  if (/,\d{1,2}$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

export function parseInvoices(text: string): { lines: InvoiceLine[]; rejected: RowRejection[] } {
  const { header, rows } = records(text);
  const c = columnsOf(header);
  if (c.date === undefined || c.amount === undefined || (c.org === undefined && c.name === undefined)) {
    throw new RejectedError('not an invoice file: the header needs datum, belopp and the supplier’s organisationsnummer or namn');
  }
  const lines: InvoiceLine[] = [];
  const rejected: RowRejection[] = [];
  rows.forEach((r, i) => {
    const ref = `line ${i + 2}`;
    const get = (f: Field) => (c[f] === undefined ? '' : (r[c[f]!] ?? '').trim());
    const day = get('date').slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) return void rejected.push({ ref, reason: `not a date: "${get('date')}"` });
    const amount = amountOf(get('amount'));
    if (amount === null) return void rejected.push({ ref, reason: `not an amount: "${get('amount')}"` });
    const orgText = get('org');
    const org = orgText ? orgNumberDigits(orgText, true) : null;
    if (orgText && !org) return void rejected.push({ ref, reason: `not an organisationsnummer: "${orgText}"` });
    const name = get('name');
    if (!org && !name) return void rejected.push({ ref, reason: 'neither organisationsnummer nor name of the supplier' });
    const buyer = get('buyer');
    lines.push({ day, orgNumber: org, name: (name || org || '').slice(0, 500), amount, account: get('account') || null, buyerOrg: buyer ? orgNumberDigits(buyer) : null, reference: get('reference') || null, ref });
  });
  return { lines, rejected };
}
