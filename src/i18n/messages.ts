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
    'notice.criteria': 'Hållbarhetskrav',
    'mail.alert.subject': 'Ny upphandling: {title}',
    'mail.alert.subjectDeadline': 'Ny upphandling: {title} – sista anbudsdag {date}',
    'mail.digest.subject.daily': 'Brygga {period}: {summary}',
    'mail.digest.subject.weekly': 'Brygga vecka {period}: {summary}',
    'mail.digest.new': '{n} nya',
    'mail.digest.closing': '{n} stänger snart',
    'mail.digest.changed': '{n} ändrade',
    'mail.digest.intro': 'Hej {company}! Här är det senaste från Brygga.',
    'mail.digest.section.new': 'Nya upphandlingar som passar er',
    'mail.digest.section.closing': 'Stänger inom 7 dagar',
    'mail.digest.section.changed': 'Ändrade upphandlingar',
    'mail.digest.changedFields': 'Ändrat: {fields}',
    'mail.unsubscribe.one': 'Avsluta bevakningen ”{name}”',
    'mail.unsubscribe.all': 'Avsluta alla bevakningar',
    'mail.confirm.subject': 'Bekräfta er e-postadress för Brygga',
    'mail.confirm.body': 'Hej {company}! Bekräfta att {email} ska få bevakningar om upphandlingar från Brygga. Inga mejl skickas innan adressen är bekräftad.',
    'mail.confirm.link': 'Bekräfta adressen',
    'mail.confirm.ignore': 'Har ni inte registrerat er? Då kan ni bortse från det här mejlet.',
    'page.unsubscribe.title': 'Avsluta bevakning',
    'page.unsubscribe.question.one': 'Vill ni avsluta bevakningen ”{name}” för {company}?',
    'page.unsubscribe.question.all': 'Vill ni avsluta alla bevakningar för {company}?',
    'page.unsubscribe.button': 'Ja, avsluta',
    'page.unsubscribe.done': 'Klart. {company} får inga fler mejl från den här bevakningen.',
    'page.unsubscribe.doneAll': 'Klart. {company} får inga fler bevakningsmejl från Brygga.',
    'page.confirm.title': 'Bekräfta e-postadress',
    'page.confirm.question': 'Bekräfta att {email} ska få bevakningar för {company}.',
    'page.confirm.button': 'Bekräfta',
    'page.confirm.done': 'Tack! Adressen är bekräftad och bevakningarna är igång.',
    'page.badLink': 'Länken är ogiltig eller har ändrats. Kopiera hela länken från mejlet.',
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
    'notice.criteria': 'Sustainability requirements',
    'mail.alert.subject': 'New tender: {title}',
    'mail.alert.subjectDeadline': 'New tender: {title} – deadline {date}',
    'mail.digest.subject.daily': 'Brygga {period}: {summary}',
    'mail.digest.subject.weekly': 'Brygga week {period}: {summary}',
    'mail.digest.new': '{n} new',
    'mail.digest.closing': '{n} closing soon',
    'mail.digest.changed': '{n} changed',
    'mail.digest.intro': 'Hello {company}! Here is the latest from Brygga.',
    'mail.digest.section.new': 'New tenders that fit you',
    'mail.digest.section.closing': 'Closing within 7 days',
    'mail.digest.section.changed': 'Changed tenders',
    'mail.digest.changedFields': 'Changed: {fields}',
    'mail.unsubscribe.one': 'Stop the subscription “{name}”',
    'mail.unsubscribe.all': 'Stop all subscriptions',
    'mail.confirm.subject': 'Confirm your e-mail address for Brygga',
    'mail.confirm.body': 'Hello {company}! Please confirm that {email} should receive tender alerts from Brygga. Nothing is sent before the address is confirmed.',
    'mail.confirm.link': 'Confirm the address',
    'mail.confirm.ignore': 'Did not register? Then you can ignore this e-mail.',
    'page.unsubscribe.title': 'Unsubscribe',
    'page.unsubscribe.question.one': 'Stop the subscription “{name}” for {company}?',
    'page.unsubscribe.question.all': 'Stop all subscriptions for {company}?',
    'page.unsubscribe.button': 'Yes, stop',
    'page.unsubscribe.done': 'Done. {company} will get no more e-mail from this subscription.',
    'page.unsubscribe.doneAll': 'Done. {company} will get no more alerts from Brygga.',
    'page.confirm.title': 'Confirm e-mail address',
    'page.confirm.question': 'Confirm that {email} should receive alerts for {company}.',
    'page.confirm.button': 'Confirm',
    'page.confirm.done': 'Thank you! The address is confirmed and the alerts are on.',
    'page.badLink': 'The link is invalid or was changed. Copy the whole link from the e-mail.',
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
  return cached(`date ${lang}`, () => new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE,
  })).format(new Date(iso));
}

export function formatMoney(value: { amount: number; currency: string }, lang: Lang): string {
  return cached(`money ${lang} ${value.currency}`, () => new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    style: 'currency', currency: value.currency, maximumFractionDigits: 0,
  })).format(value.amount);
}

/**
 * Building an Intl formatter costs far more than using one (it was the largest
 * single cost of rendering an alert), so each is built once. Bounded: the
 * currency comes from notice data.
 */
const formatters = new Map<string, { format(value: never): string }>();
function cached<F extends { format(value: never): string }>(key: string, make: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) {
    formatter = make();
    if (formatters.size >= 100) formatters.delete(formatters.keys().next().value!);
    formatters.set(key, formatter);
  }
  return formatter;
}
