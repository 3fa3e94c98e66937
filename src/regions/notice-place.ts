// Where a notice is, in municipalities and NUTS codes, from what it names:
// the place of performance (postcode, town), the buyer (a municipality's own
// name) and the NUTS codes given.
import type { Db } from '../../db/database.ts';
import { BUILT_IN_MUNICIPALITIES, municipalityFromName, type NoticePlace } from '../domain/regions.ts';
import type { NoticeInput } from '../notices/notice.schema.ts';

type Municipality = { code: string; shortName: string };

export class PlaceResolver {
  private municipalities: Municipality[] | null = null;

  constructor(private readonly db: Db) {}

  /** Imported municipalities, or the built-in local ones before any import. */
  private async list(): Promise<Municipality[]> {
    if (!this.municipalities) {
      const rows = await this.db.selectFrom('municipalities').select(['code', 'short_name']).execute();
      this.municipalities = rows.length ? rows.map((r) => ({ code: r.code, shortName: r.short_name })) : BUILT_IN_MUNICIPALITIES;
    }
    return this.municipalities;
  }

  async place(notice: Pick<NoticeInput, 'buyer' | 'placeOfPerformance'>): Promise<NoticePlace> {
    const municipalities = await this.list();
    const found = new Set<string>();
    const { postalCode, town } = notice.placeOfPerformance;
    if (postalCode) {
      const row = await this.db
        .selectFrom('postal_codes')
        .select('municipality_code')
        .where('postal_code', '=', postalCode.replace(/\s/g, ''))
        .executeTakeFirst();
      if (row) found.add(row.municipality_code);
    }
    for (const name of [town, notice.buyer.name]) {
      const code = name ? municipalityFromName(name, municipalities) : null;
      if (code) found.add(code);
    }
    const nuts = [...new Set([...notice.placeOfPerformance.nuts, ...(notice.buyer.nuts ? [notice.buyer.nuts] : [])])];
    return { municipalities: [...found], nuts };
  }
}
