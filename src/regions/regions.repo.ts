// The region tables: Swedish municipalities and postcodes.
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MunicipalitiesTable, PostalCodesTable } from '../../db/schema.ts';

export type MunicipalityRow = Insertable<MunicipalitiesTable>;
export type PostalCodeRow = Insertable<PostalCodesTable>;

/** Replaces both tables; call inside a transaction so a bad file changes nothing. */
export async function replaceRegions(db: Db, municipalities: MunicipalityRow[], postalCodes: PostalCodeRow[]): Promise<void> {
  await db.deleteFrom('postal_codes').execute();
  await db.deleteFrom('municipalities').execute();
  for (let i = 0; i < municipalities.length; i += 200) await db.insertInto('municipalities').values(municipalities.slice(i, i + 200)).execute();
  for (let i = 0; i < postalCodes.length; i += 300) await db.insertInto('postal_codes').values(postalCodes.slice(i, i + 300)).execute();
}

/** Imported municipalities (code and short name); empty before any import. */
export async function listMunicipalities(db: Db): Promise<{ code: string; shortName: string }[]> {
  const rows = await db.selectFrom('municipalities').select(['code', 'short_name']).execute();
  return rows.map((r) => ({ code: r.code, shortName: r.short_name }));
}

export async function municipalityOfPostalCode(db: Db, postalCode: string): Promise<string | null> {
  const row = await db.selectFrom('postal_codes').select('municipality_code').where('postal_code', '=', postalCode).executeTakeFirst();
  return row?.municipality_code ?? null;
}
