// Where a notice is, in municipalities and NUTS codes, from what it names:
// the place of performance (postcode, town), the buyer (a municipality's own
// name) and the NUTS codes given.
import type { Db } from '../../db/database.ts';
import { BUILT_IN_MUNICIPALITIES, municipalityFromName, type NoticePlace } from '../domain/regions.ts';
import type { NoticeInput } from '../notices/notice.schema.ts';
import { listMunicipalities, municipalityOfPostalCode } from './regions.repo.ts';

type Municipality = { code: string; shortName: string };

export class PlaceResolver {
  private municipalities: Municipality[] | null = null;

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
      const code = await municipalityOfPostalCode(this.db, postalCode.replace(/\s/g, ''));
      if (code) found.add(code);
    }
    for (const name of [town, notice.buyer.name]) {
      const code = name ? municipalityFromName(name, municipalities) : null;
      if (code) found.add(code);
    }
    const nuts = [...new Set([...notice.placeOfPerformance.nuts, ...(notice.buyer.nuts ? [notice.buyer.nuts] : [])])];
    return { municipalities: [...found], nuts };
  }
}
