// Every user-facing string, Swedish first. Add a key to both languages.
export type Lang = 'sv' | 'en';

export const messages = {
  sv: {
    'app.tagline': 'Lokala leverantörer möter kommunens upphandlingar',
    'fairness': 'Brygga hjälper fler företag att få höra talas om upphandlingar. Hur anbud utvärderas ändras aldrig: likabehandlingsprincipen i LOU gäller fullt ut.',
    'notices.latest': 'Senaste upphandlingarna',
    'notices.none': 'Inga upphandlingar publicerade ännu.',
    'notice.buyer': 'Upphandlande organisation',
    'notice.deadline': 'Sista anbudsdag',
    'notice.noDeadline': 'Ingen sista anbudsdag angiven',
    'notice.value': 'Uppskattat värde',
    'notice.cpv': 'CPV-koder',
    'notice.published': 'Publicerad',
    'notice.back': 'Alla upphandlingar',
    'mail.alert.subject': 'Ny upphandling som passar er: {title}',
    'mail.alert.intro': 'Hej {company}! En ny upphandling matchar er bevakning.',
    'mail.alert.why': 'Därför fick ni det här mejlet',
    'mail.alert.link': 'Läs hela upphandlingen',
    'mail.footer': 'Ni får detta mejl eftersom {company} bevakar upphandlingar i Brygga.',
  },
  en: {
    'app.tagline': 'Local suppliers meet the municipality’s procurement',
    'fairness': 'Brygga helps more firms hear about tenders. It never changes how bids are evaluated: equal treatment under the Swedish Public Procurement Act (LOU) applies in full.',
    'notices.latest': 'Latest notices',
    'notices.none': 'No notices published yet.',
    'notice.buyer': 'Buyer',
    'notice.deadline': 'Submission deadline',
    'notice.noDeadline': 'No deadline given',
    'notice.value': 'Estimated value',
    'notice.cpv': 'CPV codes',
    'notice.published': 'Published',
    'notice.back': 'All notices',
    'mail.alert.subject': 'New tender that fits you: {title}',
    'mail.alert.intro': 'Hello {company}! A new tender matches your subscription.',
    'mail.alert.why': 'Why you received this e-mail',
    'mail.alert.link': 'Read the full notice',
    'mail.footer': 'You receive this e-mail because {company} follows tenders in Brygga.',
  },
} satisfies Record<Lang, Record<string, string>>;

export type MessageKey = keyof (typeof messages)['sv'];

export function t(lang: Lang, key: MessageKey, vars: Record<string, string> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`);
}

const TIME_ZONE = 'Europe/Stockholm';

/** Dates are stored in UTC and shown in Swedish time. */
export function formatDateTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE,
  }).format(new Date(iso));
}

export function formatMoney(value: { amount: number; currency: string }, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    style: 'currency', currency: value.currency, maximumFractionDigits: 0,
  }).format(value.amount);
}
