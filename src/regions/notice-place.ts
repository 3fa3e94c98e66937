// Where a notice is, in municipalities and NUTS codes, from what it names:
// the place of performance (postcode, town), the buyer (a municipality's own
// name) and the NUTS codes given.
import type { Db } from '../../db/database.ts';
import { BUILT_IN_MUNICIPALITIES, municipalityFromName, type NoticePlace } from '../domain/regions.ts';
import type { NoticeInput } from '../notices/notice.schema.ts';
import { listMunicipalities, municipalityOfPostalCode } from './regions.repo.ts';

type Municipality = { code: string; shortName: string };

/** Postcodes remembered per process (Sweden has about 10,000; bounded, as notices come from outside). */
const POSTCODES_KEPT = 20_000;

export class PlaceResolver {
  private municipalities: Municipality[] | null = null;
  /** Postcode → municipality (null: not in the list), looked up once: every notice from the same place would ask again. */
  private postcodes = new Map<string, string | null>();

  constructor(private readonly db: Db) {}

  /** Imported municipalities, or the built-in local ones before any import. */
  private async list(): Promise<Municipality[]> {
    if (!this.municipalities) {
      const imported = await listMunicipalities(this.db);
      this.municipalities = imported.length ? imported : BUILT_IN_MUNICIPALITIES;
    }
    return this.municipalities;
  }

  async place(notice: Pick<NoticeInput, 'buyer' | 'placeOfPerformance'>): Promise<NoticePlace> {
    const municipalities = await this.list();
    const found = new Set<string>();
    const { postalCode, town } = notice.placeOfPerformance;
    if (postalCode) {
      const code = await this.municipalityOf(postalCode.replace(/\s/g, ''));
      if (code) found.add(code);
    }
    for (const name of [town, notice.buyer.name]) {
      const code = name ? municipalityFromName(name, municipalities) : null;
      if (code) found.add(code);
    }
    const nuts = [...new Set([...notice.placeOfPerformance.nuts, ...(notice.buyer.nuts ? [notice.buyer.nuts] : [])])];
    return { municipalities: [...found], nuts };
  }

  /** Like the municipality list, kept for the process's life: restart after `npm run import:regions`. */
  private async municipalityOf(postalCode: string): Promise<string | null> {
    const known = this.postcodes.get(postalCode);
    if (known !== undefined) return known;
    const code = await municipalityOfPostalCode(this.db, postalCode);
    if (this.postcodes.size >= POSTCODES_KEPT) this.postcodes.clear();
    this.postcodes.set(postalCode, code);
    return code;
  }
}
