// What each figure means, in Swedish and English: shown beside every figure in
// the API, the command line and (later) the staff pages. docs/statistics.md
// states the same definitions.
export type Definition = { sv: string; en: string };

export const DEFINITIONS = {
  procurements: {
    sv: 'Upphandlingar vars publiceringsdag ligger i perioden (direktupphandlingar: tilldelningsdagen), hos vald köpare. Återkallade upphandlingar, förhandsannonser och fristående ändringsannonser räknas inte.',
    en: 'Procurements whose publication day falls in the period (direct awards: the day of award), of the chosen buyer. Withdrawn procurements, prior information notices and lone change notices are not counted.',
  },
  contracts: {
    sv: 'Kontrakt: en tilldelning (vinnare × anbudsområde) från eForms-tilldelningsannonser, OCDS, Upphandlingsmyndighetens kontrakterade anbud och handläggares registrerade tilldelningar och direktupphandlingar. Ett kontrakt hör till perioden för sin upphandling.',
    en: 'Contract: one award (winner × lot) from eForms award notices, OCDS awards, the contracted tenders of Upphandlingsmyndigheten and awards and direct awards registered by officers. A contract belongs to the period of its procurement.',
  },
  localShareCount: {
    sv: 'Andel av kontrakten med känd ort som vunnits av en lokal leverantör (med arbetsställe i hemkommunen). Okända räknas inte i nämnaren utan redovisas för sig.',
    en: 'Share of the contracts whose supplier’s place is known that were won by a local supplier (a workplace in the home municipality). Unknowns are left out of the denominator and shown on their own.',
  },
  localShareValue: {
    sv: 'Andel av kontraktsvärdet (SEK) med känd ort och känt värde som gått till lokala leverantörer.',
    en: 'Share of the contract value (SEK) with a known place and a known value that went to local suppliers.',
  },
  levels: {
    sv: 'Nivåer: hemkommunen (home), närområdet (local-area), länet (county), övriga Sverige (sweden), utlandet (abroad), okänt (unknown). Ort avgörs i ordning: registrerat företag i Brygga (organisationsnummer, alla arbetsställen), leverantörsregister importerat av personal, vinnarens adress i tilldelningen (postnummer → kommun, NUTS-3 → län), namnmatchning (markerad, kan bekräftas eller avvisas), annars okänt.',
    en: 'Levels: home (the home municipality), local-area, county, sweden (rest of Sweden), abroad, unknown. The place is decided in order: a registered Brygga firm (organisationsnummer, every workplace), the supplier register imported by staff, the winner’s address in the award (postcode → municipality, NUTS-3 → county), a name match (marked, can be confirmed or rejected), otherwise unknown.',
  },
  smeShare: {
    sv: 'Andel av kontrakten med känd leverantörsstorlek som gått till mikro-, små och medelstora företag (storlek från Upphandlingsmyndigheten, eForms BT-165 eller OCDS; där tilldelningen saknar storlek, den storlek ett registrerat vinnande företag angett i sin profil). sources: hur många kontrakt vars storlek kom från tilldelningen, från företagets profil, och okända.',
    en: 'Share of the contracts with a known supplier size that went to micro, small and medium-sized enterprises (size from Upphandlingsmyndigheten, eForms BT-165 or OCDS; where the award gives none, the size a registered winning firm states in its profile). sources: how many contracts had their size from the award, from the firm’s profile, and unknown.',
  },
  csrShare: {
    sv: 'Andel av upphandlingarna med sociala hänsyn (BT-06 soc-obj eller BT-775), miljöhänsyn (env-imp, BT-774 eller BT-805), innovation (inn-pur) och reserverade kontrakt (BT-71). Hos Upphandlingsmyndigheten betyder tom flagga ”inte flaggad eller inte rapporterad”: den räknas som inte flaggad. localWins: andelen lokala vinster bland kontrakten i dessa upphandlingar med känd ort.',
    en: 'Share of procurements with social considerations (BT-06 soc-obj or BT-775), environmental ones (env-imp, BT-774 or BT-805), innovation (inn-pur) and reserved contracts (BT-71). In Upphandlingsmyndigheten’s data an empty flag means “not flagged or not reported”: it counts as not flagged. localWins: the share of local wins among these procurements’ contracts with a known place.',
  },
  competition: {
    sv: 'Genomsnittligt antal mottagna anbud per kontrakt där det är känt (eForms BT-759, OCDS numberOfTenderers), för lokala och icke-lokala vinnare.',
    en: 'Mean number of tenders received per contract where known (eForms BT-759, OCDS numberOfTenderers), for local and non-local winners.',
  },
  reach: {
    sv: 'Upphandlingar i perioden där minst ett lokalt företag i Brygga (registrerat i eller med arbetsställe i hemkommunen) fått ett skickat e-postmeddelande om den som ny; och antalet lokala företag som fått det per upphandling.',
    en: 'Procurements of the period about which at least one local Brygga firm (registered in or with a workplace in the home municipality) was sent an e-mail listing it as new; and the number of local firms alerted per procurement.',
  },
  conversion: {
    sv: 'Andel av paren (lokalt företag, upphandling) där företaget fått besked om upphandlingen och sedan vunnit den eller ett av dess anbudsområden.',
    en: 'Share of the (local firm, procurement) pairs where the firm was alerted to the procurement and later won it or one of its lots.',
  },
  capabilities: {
    sv: 'Bland registrerade lokala företag vid periodens slut: andelen som har varje förmåga (ISO 9001, ISO 14001, Svanen, kollektivavtal …) med ett intyg som gäller den dagen (eller utan slutdatum).',
    en: 'Among the registered local firms at the end of the period: the share holding each capability (ISO 9001, ISO 14001, Svanen, collective agreement …) with a certificate valid that day (or without an end date).',
  },
  spend: {
    sv: 'Andel av de fakturerade beloppen (exkl. moms, kreditfakturor negativa) i perioden som betalats till lokala leverantörer, bland leverantörer med känd ort. En fakturafil utan köparkolumn är hemkommunens egen reskontra: den räknas för hemkommunens organisation (och för alla köpare), inte för andra köpare.',
    en: 'Share of the invoiced amounts (excluding VAT, credit notes negative) of the period paid to local suppliers, among suppliers with a known place. An invoice file without a buyer column is the home municipality’s own ledger: it counts for the home municipality’s organisation (and for all buyers), not for other buyers.',
  },
  youngFirms: {
    sv: 'Nya och unga företag: andelen av aviseringarna (ett företag × en upphandling i perioden, skickad som ny) och av kontrakten i perioden som gått till unga företag: grundade (registrerade hos Bolagsverket, enligt företagets profil) under de tre åren fram till periodens sista dag, eller som anger förmågan young-company den dagen. Ett registrerat företag utan grundandedag och utan den förmågan räknas som inte ungt. Kontrakt vars vinnare inte är registrerad i Brygga har okänd ålder (unknown). Per nivå: aviseringar efter företagets kommun och arbetsställen, kontrakt efter kontraktets nivå.',
    en: 'New and young firms: the share of the alerts (a firm × a procurement of the period, sent as new) and of the period’s contracts that went to young firms: founded (registered with Bolagsverket, as the firm’s profile states) within the three years up to the period’s last day, or declaring the young-company capability that day. A registered firm with neither a founding day nor that capability counts as not young. Contracts whose winner is not registered in Brygga are of unknown age (unknown). By level: alerts by the firm’s municipality and workplaces, contracts by the contract’s level.',
  },
  categories: {
    sv: 'Registrerade företag per kategori jämfört med vad som köps: per CPV-huvudgrupp (huvudkodens två första siffror) periodens kontrakt (antal och värde i SEK) och antalet registrerade lokala företag (registrerade i eller med arbetsställe i hemkommunen vid periodens slut) med en kategori i huvudgruppen. attention: huvudgruppen köps minst lika mycket som medianhuvudgruppen (antal eller värde) och har färre lokala företag än medianhuvudgruppen (eller inga) – där näringslivsarbetet bör sättas in.',
    en: 'Firms registered per category against what is bought: per CPV division (the main code’s first two digits) the period’s contracts (count and SEK value) and the number of registered local firms (registered in or with a workplace in the home municipality at the period’s end) with a category in the division. attention: the division is bought at least as much as the median division (by count or value) and has fewer local firms than the median division (or none): where business development should act.',
  },
} satisfies Record<string, Definition>;
