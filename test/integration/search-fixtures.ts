// The notices of the search contract suite (search-contract.test.ts), as
// SearchDocuments: titles as Swedish buyers write them, with buyers, places,
// dates, values and criteria chosen so every filter has something to find;
// and the database indexes the search tests open, each on a database of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../../db/database.ts';
import type { NoticePlace } from '../../src/domain/regions.ts';
import { noticeInputSchema, type NoticeInputRaw } from '../../src/notices/notice.schema.ts';
import { toSearchDocument } from '../../src/search/document.ts';
import { FtsSearchIndex } from '../../src/search/fts5.ts';
import { PostgresSearchIndex } from '../../src/search/postgres.ts';
import type { SearchDocument } from '../../src/search/search.types.ts';
import { POSTGRES_URL, postgresAnswers, postgresSchema } from '../helpers/database.ts';

/** "Now" for the fixtures' open / closed status. */
export const NOW = new Date('2026-06-01T10:00:00.000Z');

const BUYERS = {
  lerum: { id: 'B-LERUM', name: 'Lerums kommun', orgNumber: '212000-1447', municipality: '1441' },
  alingsas: { id: 'B-ALINGSAS', name: 'Alingsås kommun', orgNumber: null, municipality: '1489' },
  goteborg: { id: 'B-GBG', name: 'Göteborgs Stad', orgNumber: null, municipality: '1480' },
  partille: { id: 'B-PARTILLE', name: 'Partille kommun', orgNumber: null, municipality: '1402' },
  stockholm: { id: 'B-STHLM', name: 'Stockholms stad', orgNumber: null, municipality: '0180' },
  kiruna: { id: 'B-KIRUNA', name: 'Kiruna kommun', orgNumber: null, municipality: '2584' },
  sfv: { id: 'B-SFV', name: 'Statens fastighetsverk', orgNumber: null, municipality: '0180' },
};

/** `place` replaces the buyer's municipality as where the notice is performed. */
type Fixture = { id: string; buyer: keyof typeof BUYERS; published: string; place?: NoticePlace } & Omit<NoticeInputRaw, 'buyer'>;

/** Most titles come from the demo data. */
const FIXTURES: Fixture[] = [
  { id: 'N01', buyer: 'lerum', published: '2026-05-01', title: 'Städtjänster för förskolor i Lerums kommun', description: 'Lokalvård i 14 förskolor. Sysselsättningskrav för personer långt från arbetsmarknaden.',
    cpv: { main: '90911200' }, deadline: '2026-07-01T12:00:00Z', procedure: 'open', estimatedValue: { amount: 4_200_000, currency: 'SEK' }, criteria: { social: ['opp'] } },
  { id: 'N02', buyer: 'lerum', published: '2026-05-10', title: 'Snöröjning och halkbekämpning 2027–2029', description: 'Vinterväghållning av kommunala gator, gång- och cykelvägar i Lerum, Gråbo och Floda.',
    cpv: { main: '90620000', additional: ['90630000'] }, deadline: '2026-06-20T12:00:00Z', procedure: 'open', estimatedValue: { amount: 6_000_000, currency: 'SEK' }, criteria: { green: ['clim-mitig'] } },
  { id: 'N03', buyer: 'lerum', published: '2026-04-01', title: 'Skolmåltider – mejeriprodukter', description: 'Leverans av mjölk, fil och ost till skolkök.',
    cpv: { main: '15500000' }, deadline: '2026-05-15T12:00:00Z', procedure: 'open', estimatedValue: { amount: 2_100_000, currency: 'SEK' }, criteria: { strategic: ['env-imp'], smeSuitable: true } },
  { id: 'N04', buyer: 'lerum', published: '2026-05-20', title: 'Skötsel av parker och grönytor', description: 'Gräsklippning, rabatter och lekplatser. Reserverad för arbetsintegrerande sociala företag.',
    cpv: { main: '77313000' }, deadline: '2026-08-01T12:00:00Z', procedure: 'open', estimatedValue: { amount: 1_800_000, currency: 'SEK' }, criteria: { reserved: ['res-ws'], social: ['opp'] } },
  { id: 'N05', buyer: 'alingsas', published: '2026-05-05', title: 'Skolskjuts i Alingsås och Lerum', description: 'Samordnad upphandling av skolskjuts.',
    cpv: { main: '60130000' }, deadline: '2026-07-15T12:00:00Z', procedure: 'restricted', estimatedValue: { amount: 12_000_000, currency: 'SEK' }, criteria: { strategic: ['env-imp'] } },
  { id: 'N06', buyer: 'goteborg', published: '2026-05-25', title: 'Utveckling av e-tjänster för medborgare', description: 'Webbutveckling och tillgänglighetsanpassning enligt WCAG 2.1 AA.',
    cpv: { main: '72413000', additional: ['72212000'] }, deadline: '2026-09-01T12:00:00Z', procedure: 'open', estimatedValue: { amount: 15_000_000, currency: 'SEK' }, criteria: { strategic: ['inn-pur'] } },
  { id: 'N07', buyer: 'partille', published: '2026-03-01', kind: 'award', title: 'Rivning av före detta Sävedalens vårdcentral', description: 'Selektiv rivning med materialinventering för återbruk.',
    cpv: { main: '45111100' }, deadline: '2026-04-01T12:00:00Z', procedure: 'open', estimatedValue: { amount: 2_700_000, currency: 'SEK' } },
  { id: 'N08', buyer: 'partille', published: '2026-05-28', kind: 'planning', title: 'Takbyte på Partille simhall', description: 'Rivning av befintligt tak och nytt papptak.',
    cpv: { main: '45261210' }, deadline: null, estimatedValue: { amount: 450_000, currency: 'EUR' } },
  { id: 'N09', buyer: 'lerum', published: '2026-05-15', title: 'Café och catering vid kommunens evenemang', description: 'Fika och lunch vid Lerums kulturvecka.',
    cpv: { main: '55520000' }, deadline: '2026-06-15T12:00:00Z', procedure: 'open', estimatedValue: { amount: 400_000, currency: 'SEK' }, criteria: { smeSuitable: true } },
  { id: 'N10', buyer: 'lerum', published: '2026-05-12', title: 'Målning av fasader på Gråbo skola', description: 'Utvändig målning av träfasader och fönster.',
    cpv: { main: '45442100' }, deadline: '2026-06-10T12:00:00Z', procedure: 'open', estimatedValue: { amount: 900_000, currency: 'SEK' }, criteria: { smeSuitable: true } },
  { id: 'N11', buyer: 'goteborg', published: '2026-05-02', title: 'Malning och rostning av kaffe', description: 'Kaffe till stadens kontor.',
    cpv: { main: '15860000' }, deadline: '2026-06-30T12:00:00Z', procedure: 'open', estimatedValue: { amount: 300_000, currency: 'SEK' } },
  { id: 'N12', buyer: 'lerum', published: '2026-05-03', title: 'Fönsterputs på förskolor', description: 'Två gånger per år.',
    cpv: { main: '90911300' }, deadline: '2026-06-25T12:00:00Z', procedure: 'open', estimatedValue: { amount: 500_000, currency: 'SEK' } },
  { id: 'N13', buyer: 'partille', published: '2026-05-04', title: 'Lokalvård i stadshuset', description: 'Daglig städning samt fönsterputs två gånger per år.',
    cpv: { main: '90910000' }, deadline: '2026-06-26T12:00:00Z', procedure: 'open', estimatedValue: { amount: 700_000, currency: 'SEK' } },
  { id: 'N14', buyer: 'stockholm', published: '2026-05-06', title: 'Livsmedel till äldreboenden i Stockholm', description: 'Frukt och grönt <b>året</b> runt.',
    cpv: { main: '15300000' }, deadline: '2026-07-20T12:00:00Z', procedure: 'open', estimatedValue: { amount: 9_000_000, currency: 'SEK' } },
];

/**
 * Notices that tell "open" as alerts mean it from the rest (a statistics
 * record, winners known, no deadline and published long ago or lately) and
 * places in the local area (Partille), elsewhere in Sweden (Kiruna) and abroad.
 * Published relative to NOW; ALERT_MAX_AGE_DAYS is 30.
 */
const AGREEMENT_FIXTURES: Fixture[] = [
  { id: 'A1', buyer: 'partille', published: '2026-05-08', title: 'Ventilation i Partille simhall', description: 'Service av ventilationsaggregat.',
    cpv: { main: '42520000' }, deadline: '2026-07-10T12:00:00Z' },
  { id: 'A2', buyer: 'kiruna', published: '2026-05-12', title: 'Ventilation i Kiruna stadshus', description: 'Byte av ventilationsaggregat.',
    cpv: { main: '42520000' }, deadline: '2026-07-10T12:00:00Z' },
  { id: 'A3', buyer: 'lerum', published: '2026-05-27', source: 'uhm', title: 'Ventilation i Lerums skolor', description: 'Upphandlingsstatistik.',
    cpv: { main: '42520000' }, deadline: null },
  { id: 'A4', buyer: 'lerum', published: '2026-05-26', title: 'Hissar i Lerums äldreboenden', description: 'Service och besiktning av hissar.',
    cpv: { main: '50750000' }, deadline: '2026-07-01T12:00:00Z', awards: [{ winner: { name: 'Hiss AB' } }] },
  { id: 'A5', buyer: 'lerum', published: '2026-03-03', title: 'Tolktjänster', description: 'Tolkning på plats och på distans.',
    cpv: { main: '79540000' }, deadline: null },
  { id: 'A6', buyer: 'lerum', published: '2026-05-27', title: 'Översättning av kommunens webbplats', description: 'Till engelska och arabiska.',
    cpv: { main: '79530000' }, deadline: null },
  { id: 'A7', buyer: 'sfv', published: '2026-05-30', title: 'Ventilation i Berlin', description: 'Sveriges ambassad.',
    cpv: { main: '42520000' }, deadline: '2026-08-01T12:00:00Z', place: { municipalities: [], nuts: ['DE300'] } },
];

function toDocuments(fixtures: Fixture[]): SearchDocument[] {
  return fixtures.map(({ id, buyer, published, place, ...raw }) => {
    const b = BUYERS[buyer];
    const notice = { ...noticeInputSchema.parse({ ...raw, buyer: { name: b.name, orgNumber: b.orgNumber }, publishedAt: `${published}T08:00:00Z` }), sourceId: `SRC-${id}` };
    return toSearchDocument({
      id, revision: 1, createdAt: `${published}T08:00:00.000Z`, buyerId: b.id, notice, place: place ?? { municipalities: [b.municipality], nuts: [] },
    });
  });
}

export const fixtureDocuments = (): SearchDocument[] => toDocuments(FIXTURES);
export const agreementDocuments = (): SearchDocument[] => toDocuments(AGREEMENT_FIXTURES);

export type OpenIndex<I> = { index: I; cleanup(): Promise<void> };

/** An FTS5 index on a SQLite file of its own, migrated, removed after. */
export async function ftsIndex(options?: ConstructorParameters<typeof FtsSearchIndex>[2]): Promise<OpenIndex<FtsSearchIndex>> {
  const dir = mkdtempSync(join(tmpdir(), 'brygga-search-'));
  const db = openDatabase(`file:${join(dir, 'search.db')}`);
  await migrateToLatest(db);
  return {
    index: new FtsSearchIndex(db, undefined, options),
    async cleanup() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A PostgreSQL index in a fresh schema of the test server, dropped after (the index makes its own tables and reads no other). */
export async function postgresIndex(): Promise<OpenIndex<PostgresSearchIndex>> {
  const { url, drop } = await postgresSchema();
  const db = openDatabase(url);
  return {
    index: new PostgresSearchIndex(db),
    async cleanup() {
      await db.destroy();
      await drop();
    },
  };
}

const POSTGRES_UP = await postgresAnswers();
/** Where PostgreSQL does not answer, the runs on it are skipped with the reason in their title; in CI they fail. */
export const postgresTitle = POSTGRES_UP ? '' : ` (skipped: PostgreSQL does not answer at ${POSTGRES_URL}; start it or set TEST_POSTGRES_URL)`;
export function needPostgres(this: Mocha.Context): void {
  if (POSTGRES_UP) return;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL does not answer at ${POSTGRES_URL}, and CI needs it`);
  this.skip();
}
