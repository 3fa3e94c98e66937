// Brygga's own demo data: fictitious firms around Lerum and realistic notices.
// Written for the project; nothing here is copied from a real register.
import type { NoticeInputRaw } from '../notices/notice.schema.ts';

export const demoBuyers = {
  lerum: { name: 'Lerums kommun', orgNumber: '212000-1447', nuts: 'SE232' },
  alingsas: { name: 'Alingsås kommun', orgNumber: '212000-1512', nuts: 'SE232' },
  partille: { name: 'Partille kommun', orgNumber: '212000-1363', nuts: 'SE232' },
  goteborg: { name: 'Göteborgs Stad', orgNumber: '212000-1355', nuts: 'SE232' },
};

type DemoFirm = {
  /** Nine digits; the Luhn check digit is added when seeding. */
  stem: string;
  name: string;
  municipalityCode: string;
  categories: string[];
  csr: (string | { capability: string; validUntil: string })[];
  frequency?: 'instant' | 'daily' | 'weekly';
  language?: 'sv' | 'en';
  /** Subscription filters beyond the categories (see the README). */
  filters?: Record<string, unknown>;
};

export const demoFirms: DemoFirm[] = [
  { stem: '559100001', name: 'Lerums Bygg & Renovering AB', municipalityCode: '1441', categories: ['45210000', '45400000'], csr: ['collective-agreement', { capability: 'iso-14001', validUntil: '2028-03-31' }] },
  { stem: '559100002', name: 'Aspedalens Måleri AB', municipalityCode: '1441', categories: ['45442100'], csr: ['collective-agreement'] },
  { stem: '559100003', name: 'Floda El & Energi AB', municipalityCode: '1441', categories: ['45310000', '09331000'], csr: ['collective-agreement', 'apprenticeships'], filters: { regions: ['local'] } },
  { stem: '559100004', name: 'Gråbo VVS AB', municipalityCode: '1441', categories: ['45330000'], csr: [] },
  { stem: '559100005', name: 'Säveån Städ & Service AB', municipalityCode: '1441', categories: ['90910000'], csr: [{ capability: 'svanen', validUntil: '2027-06-30' }, 'collective-agreement'] },
  { stem: '769100006', name: 'Kooperativet Mötesplats Lerum ek. för.', municipalityCode: '1441', categories: ['90910000', '55520000', '77310000'], csr: ['wise', 'employs-far-from-labour-market'], filters: { regions: ['local'], includeParent: true } },
  { stem: '559100007', name: 'Stenkullens Mark & Anläggning AB', municipalityCode: '1441', categories: ['45112000', '45233000', '90620000'], csr: ['fossil-free-transport'] },
  { stem: '559100008', name: 'Tollereds Trädgårdstjänst AB', municipalityCode: '1441', categories: ['77310000', '77211400'], csr: ['apprenticeships'], frequency: 'daily' },
  { stem: '559100009', name: 'Lerum IT-konsult AB', municipalityCode: '1441', categories: ['72000000'], csr: [{ capability: 'iso-27001', validUntil: '2027-12-31' }], language: 'en', filters: { keywords: 'säkerhet webb "e-tjänster" -hårdvara', minValue: 500000 } },
  { stem: '559100010', name: 'Olstorps Gårdsmejeri AB', municipalityCode: '1441', categories: ['15500000', '15300000'], csr: ['organic', 'young-company'] },
  { stem: '559100011', name: 'Hulans Tryckeri AB', municipalityCode: '1441', categories: ['79800000'], csr: [{ capability: 'svanen', validUntil: '2026-01-31' }] },
  { stem: '559100012', name: 'Västra Götalands Skolskjuts AB', municipalityCode: '1489', categories: ['60130000', '60140000'], csr: ['collective-agreement', 'fossil-free-transport'] },
  { stem: '559100013', name: 'Partille Tak & Plåt AB', municipalityCode: '1402', categories: ['45261000'], csr: ['collective-agreement'], frequency: 'weekly' },
  { stem: '559100014', name: 'Alingsås Kontorsinredning AB', municipalityCode: '1489', categories: ['39100000'], csr: ['mobelfakta'] },
  { stem: '559100015', name: 'Lerums Snickeri & Inredning AB', municipalityCode: '1441', categories: ['45421000', '39100000'], csr: ['collective-agreement'] },
  { stem: '559100016', name: 'Sävedalens Säkerhet AB', municipalityCode: '1402', categories: ['79710000', '98395000'], csr: ['collective-agreement'] },
  { stem: '559100017', name: 'Jonsereds Tvätteri AB', municipalityCode: '1402', categories: ['98310000'], csr: ['wise'] },
  { stem: '559100018', name: 'Göta Älv Redovisning AB', municipalityCode: '1480', categories: ['79200000'], csr: [] },
  { stem: '559100019', name: 'Lerums Golv & Kakel AB', municipalityCode: '1441', categories: ['45430000'], csr: ['collective-agreement', 'apprenticeships'] },
  { stem: '559100020', name: 'Nääs Flytt & Transport AB', municipalityCode: '1441', categories: ['98392000', '60100000'], csr: ['fossil-free-transport'] },
];

type DemoNotice = {
  buyer: keyof typeof demoBuyers;
  title: string;
  description: string;
  cpv: string[];
  /** Days from today; negative for the past. */
  deadlineInDays: number;
  value?: number;
  criteria?: Partial<NoticeInputRaw['criteria']>;
};

export const demoNotices: DemoNotice[] = [
  { buyer: 'lerum', title: 'Ombyggnad av storkök på Torstenssonsskolan', description: 'Totalentreprenad för ombyggnad av tillagningskök inklusive ventilation och el.', cpv: ['45214200', '45331000', '45310000'], deadlineInDays: 30, value: 8_500_000, criteria: { strategic: ['env-imp', 'soc-obj'], social: ['work-cond'], requirements: ['collective-agreement', 'iso-14001'] } },
  { buyer: 'lerum', title: 'Snöröjning och halkbekämpning 2027–2029', description: 'Vinterväghållning av kommunala gator, gång- och cykelvägar i Lerum, Gråbo och Floda.', cpv: ['90620000', '90630000'], deadlineInDays: 21, value: 6_000_000, criteria: { strategic: ['env-imp'], green: ['clim-mitig'], requirements: ['fossil-free-transport'] } },
  { buyer: 'lerum', title: 'Städtjänster för förskolor i Lerums kommun', description: 'Lokalvård i 14 förskolor. Sysselsättningskrav för personer långt från arbetsmarknaden.', cpv: ['90911200'], deadlineInDays: 25, value: 4_200_000, criteria: { strategic: ['soc-obj'], social: ['opp'], requirements: ['employment-requirement', 'svanen'] } },
  { buyer: 'lerum', title: 'Skolmåltider – mejeriprodukter', description: 'Leverans av mjölk, fil och ost till skolkök.', cpv: ['15500000'], deadlineInDays: 18, value: 2_100_000, criteria: { strategic: ['env-imp'], requirements: ['organic'], smeSuitable: true } },
  { buyer: 'lerum', title: 'Målning av fasader på Gråbo skola', description: 'Utvändig målning av träfasader och fönster.', cpv: ['45442100'], deadlineInDays: 14, value: 900_000, criteria: { smeSuitable: true } },
  { buyer: 'lerum', title: 'Elinstallationer i nya Aspens förskola', description: 'Elentreprenad inklusive solceller på tak.', cpv: ['45310000', '09331000'], deadlineInDays: 35, value: 3_000_000, criteria: { strategic: ['env-imp'], requirements: ['collective-agreement'] } },
  { buyer: 'lerum', title: 'Ramavtal VVS-tjänster', description: 'Löpande VVS-arbeten i kommunens fastigheter.', cpv: ['45330000'], deadlineInDays: 28, value: 5_000_000, criteria: { requirements: ['collective-agreement'], smeSuitable: true } },
  { buyer: 'lerum', title: 'Skötsel av parker och grönytor', description: 'Gräsklippning, rabatter och lekplatser. Reserverad för arbetsintegrerande sociala företag.', cpv: ['77313000'], deadlineInDays: 40, value: 1_800_000, criteria: { strategic: ['soc-obj'], reserved: ['res-ws'], social: ['opp'] } },
  { buyer: 'lerum', title: 'IT-säkerhetskonsulter', description: 'Konsultstöd inom informationssäkerhet och NIS2.', cpv: ['72600000'], deadlineInDays: 20, value: 2_500_000 },
  { buyer: 'alingsas', title: 'Skolskjuts i Alingsås och Lerum', description: 'Samordnad upphandling av skolskjuts.', cpv: ['60130000'], deadlineInDays: 45, value: 12_000_000, criteria: { strategic: ['env-imp'], requirements: ['fossil-free-transport', 'collective-agreement'] } },
  { buyer: 'lerum', title: 'Tryckeritjänster och trycksaker', description: 'Tryck av broschyrer, affischer och kallelser.', cpv: ['79810000'], deadlineInDays: 16, value: 600_000, criteria: { requirements: ['svanen'] } },
  { buyer: 'alingsas', title: 'Kontorsmöbler till stadshuset', description: 'Skrivbord, stolar och förvaringsmöbler. Cirkulära möbler premieras.', cpv: ['39130000'], deadlineInDays: 22, value: 1_200_000, criteria: { strategic: ['env-imp'], green: ['circ-econ'] } },
  { buyer: 'lerum', title: 'Ny gång- och cykelväg längs Floda nygata', description: 'Markarbeten, beläggning och belysning.', cpv: ['45233162', '45112000'], deadlineInDays: 33, value: 7_400_000, criteria: { requirements: ['fossil-free-transport'] } },
  { buyer: 'partille', title: 'Takbyte på Partille simhall', description: 'Rivning av befintligt tak och nytt papptak.', cpv: ['45261210'], deadlineInDays: 27, value: 4_800_000, criteria: { requirements: ['collective-agreement'] } },
  { buyer: 'goteborg', title: 'Livsmedel till äldreboenden – frukt och grönt', description: 'Leverans av säsongsanpassad frukt och grönt.', cpv: ['15300000'], deadlineInDays: 19, value: 9_000_000, criteria: { strategic: ['env-imp'], requirements: ['organic'] } },
  { buyer: 'lerum', title: 'Catering vid kommunens evenemang', description: 'Fika och lunch vid Lerums kulturvecka och medborgardialoger.', cpv: ['55520000'], deadlineInDays: 15, value: 400_000, criteria: { strategic: ['soc-obj'], social: ['opp'], smeSuitable: true } },
  { buyer: 'partille', title: 'Bevakningstjänster för kommunala fastigheter', description: 'Larmutryckning och rondering.', cpv: ['79710000'], deadlineInDays: 24, value: 3_300_000, criteria: { requirements: ['collective-agreement'] } },
  { buyer: 'lerum', title: 'Fönsterputs i skolor och förskolor', description: 'Fönsterputs två gånger per år.', cpv: ['90911300'], deadlineInDays: 12, value: 500_000, criteria: { smeSuitable: true } },
  { buyer: 'lerum', title: 'Arbetskläder och skyddsskor', description: 'Arbetskläder för vård och omsorg samt teknisk förvaltning.', cpv: ['18100000', '18830000'], deadlineInDays: 26, value: 1_100_000, criteria: { social: ['hum-right'], requirements: ['fairtrade'] } },
  { buyer: 'lerum', title: 'Tvätt av textilier för hemtjänsten', description: 'Hämtning, tvätt och leverans av arbetskläder och textilier.', cpv: ['98310000'], deadlineInDays: 31, value: 700_000, criteria: { strategic: ['soc-obj'], social: ['opp'] } },
  { buyer: 'partille', title: 'Låssmedstjänster och passagesystem', description: 'Service och installation av lås och passersystem.', cpv: ['98395000', '45312000'], deadlineInDays: 23, value: 1_500_000 },
  { buyer: 'alingsas', title: 'Asfaltering av kommunala vägar 2027', description: 'Ny- och underhållsbeläggning.', cpv: ['45233222'], deadlineInDays: 38, value: 10_000_000, criteria: { requirements: ['fossil-free-transport'] } },
  { buyer: 'lerum', title: 'Ramavtal snickeriarbeten', description: 'Snickeri och mindre byggarbeten i kommunens lokaler.', cpv: ['45421000'], deadlineInDays: 29, value: 2_000_000, criteria: { smeSuitable: true, requirements: ['collective-agreement'] } },
  { buyer: 'lerum', title: 'Trädfällning och arboristtjänster', description: 'Riskträdsbedömning och fällning längs gator och i parker.', cpv: ['77211400'], deadlineInDays: 17, value: 800_000 },
  { buyer: 'goteborg', title: 'Utveckling av e-tjänster för medborgare', description: 'Webbutveckling och tillgänglighetsanpassning enligt WCAG 2.1 AA.', cpv: ['72413000', '72212000'], deadlineInDays: 42, value: 15_000_000, criteria: { strategic: ['inn-pur'], social: ['acc-all'] } },
  { buyer: 'lerum', title: 'Revision av kommunens bolag', description: 'Auktoriserad revisor för de kommunala bolagen.', cpv: ['79212000'], deadlineInDays: 20, value: 900_000 },
  { buyer: 'lerum', title: 'Flytt- och magasineringstjänster', description: 'Flytt av verksamheter vid om- och nybyggnation.', cpv: ['98392000'], deadlineInDays: 13, value: 600_000, criteria: { requirements: ['fossil-free-transport'] } },
  { buyer: 'lerum', title: 'Golvläggning i Lerums gymnasium', description: 'Byte av golv i klassrum och korridorer.', cpv: ['45432100'], deadlineInDays: 34, value: 1_900_000, criteria: { strategic: ['env-imp'], green: ['circ-econ'] } },
  { buyer: 'lerum', title: 'Utbildning i svenska för invandrare (SFI)', description: 'Utbildning enligt skolverkets kursplan för SFI.', cpv: ['80580000'], deadlineInDays: 50, value: 6_500_000, criteria: { strategic: ['soc-obj'], social: ['opp', 'et-eq'] } },
  { buyer: 'partille', title: 'Rivning av före detta Sävedalens vårdcentral', description: 'Selektiv rivning med materialinventering för återbruk.', cpv: ['45111100'], deadlineInDays: -5, value: 2_700_000, criteria: { green: ['circ-econ'] } },
];
