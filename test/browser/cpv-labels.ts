// The CPV labels the page tests need (the full list is `npm run import:cpv`'s):
// cleaning with its ancestors, building, and green areas.
import type { Db } from '../../db/database.ts';
import { forgetCpvCatalogue } from '../../src/cpv/cpv-catalogue.ts';
import { replaceCpvLabels } from '../../src/cpv/cpv.repo.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const LABELS = [
  { code: '90000000', label_sv: 'Avlopps- och avfallshantering, renhållning och miljötjänster', label_en: 'Sewage, refuse, cleaning and environmental services' },
  { code: '90900000', label_sv: 'Städ- och saneringstjänster', label_en: 'Cleaning and sanitation services' },
  { code: '90910000', label_sv: 'Rengöring', label_en: 'Cleaning services' },
  { code: '90911000', label_sv: 'Städning av bostäder, byggnader och fönster', label_en: 'Accommodation, building and window cleaning services' },
  { code: '90911200', label_sv: 'Byggnadsstädning', label_en: 'Building-cleaning services' },
  { code: '90911300', label_sv: 'Fönsterputsning', label_en: 'Window-cleaning services' },
  { code: '45000000', label_sv: 'Bygg- och anläggningsarbeten', label_en: 'Construction work' },
  { code: '45400000', label_sv: 'Slutbehandling av byggnader', label_en: 'Building completion work' },
  { code: '45432100', label_sv: 'Golvläggning', label_en: 'Floor laying and covering work' },
  { code: '77310000', label_sv: 'Plantering och skötsel av grönområden', label_en: 'Planting and maintenance services of green areas' },
];

/** Stores the labels and makes the picker read them again. */
export async function useCpvLabels(db: Db): Promise<void> {
  await replaceCpvLabels(db, LABELS);
  forgetCpvCatalogue(db);
}

/** A Brygga for the firms' pages: registering not rate-limited (a test registers several firms), with these labels. */
export async function startFirmPagesApp(): Promise<TestApp> {
  const t = await startTestApp({ RATE_LIMIT_REGISTER_PER_ADDRESS: '1000/1h', RATE_LIMIT_REGISTER_PER_CLIENT: '1000/1h' });
  await useCpvLabels(t.app.db);
  return t;
}
