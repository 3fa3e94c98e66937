// Every user-facing string, Swedish first. Add a key to both languages.
// The web pages' strings live by area in ./web/ and are merged here.
import { commonMessages } from './web/common.ts';
import { publicMessages } from './web/public.ts';
import { firmMessages } from './web/firm.ts';
import { officerMessages } from './web/officer.ts';
import { staffMessages } from './web/staff.ts';
import { statsMessages } from './web/stats.ts';

export type Lang = 'sv' | 'en';

/** A firm's (or a request's) language: English when asked for, else Swedish. */
export const langOf = (language: string | null | undefined): Lang => (language === 'en' ? 'en' : 'sv');

export const messages = {
  sv: {
    ...commonMessages.sv,
    ...publicMessages.sv,
    ...firmMessages.sv,
    ...officerMessages.sv,
    ...staffMessages.sv,
    ...statsMessages.sv,
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
    'mail.digest.intro': 'Hej {company}! Här är det senaste från Brygga.',
    'mail.digest.section.new': 'Nya upphandlingar som passar er',
    'mail.digest.section.closing': 'Stänger inom 7 dagar',
    'mail.digest.section.changed': 'Ändrade upphandlingar',
    'mail.unsubscribe.one': 'Avsluta bevakningen ”{name}”',
    'mail.unsubscribe.all': 'Avsluta alla bevakningar',
    'mail.confirm.subject': 'Bekräfta er e-postadress för Brygga',
    'mail.confirm.body': 'Hej! Bekräfta att {email} ska få bevakningar om upphandlingar från Brygga för företaget ”{company}”. Inga mejl skickas innan adressen är bekräftad.',
    'mail.confirm.expires': 'Länken gäller i {days} dagar. Därefter kan ni logga in i Brygga och be om ett nytt mejl.',
    'mail.confirm.link': 'Bekräfta adressen',
    'mail.confirm.ignore': 'Har ni inte registrerat er? Då kan ni bortse från det här mejlet.',
    'mail.known.firm.subject': 'Någon försökte registrera ert företag i Brygga',
    'mail.known.firm.body': 'Hej! Någon försökte i dag registrera ”{company}” i Brygga. Företaget är redan registrerat, så ingenting ändrades, och svaret till den som registrerade avslöjade inte att företaget finns här.',
    'mail.known.firm.colleague': 'Var det en kollega? Logga in i Brygga som företagets ägare och bjud in kollegan som användare.',
    'mail.known.address.subject': 'Någon försökte registrera ett företag med er adress i Brygga',
    'mail.known.address.body': 'Hej! Någon försökte i dag registrera ett företag i Brygga med adressen {email}. Adressen hör redan till ett konto i Brygga, och en e-postadress kan bara höra till en användare, så ingenting registrerades.',
    'mail.known.address.you': 'Var det ni? Registrera företaget med en annan adress, eller be företagets ägare att bjuda in er.',
    'mail.known.ignore': 'Känner ni inte igen det här behöver ni inte göra något. Vi skickar högst ett sådant mejl om dagen.',
    'page.unsubscribe.title': 'Avsluta bevakning',
    'page.unsubscribe.question.one': 'Vill ni avsluta bevakningen ”{name}” för {company}?',
    'page.unsubscribe.question.all': 'Vill ni avsluta alla bevakningar för {company}?',
    'page.unsubscribe.button': 'Ja, avsluta',
    'page.unsubscribe.done': 'Klart. {company} får inga fler mejl från den här bevakningen.',
    'page.unsubscribe.doneAll': 'Klart. {company} får inga fler bevakningsmejl från Brygga.',
    'page.confirm.title': 'Bekräfta e-postadress',
    'page.confirm.question': 'Bekräfta att {email} ska få bevakningar för {company}.',
    'page.confirm.button': 'Bekräfta',
    'page.confirm.done': 'Tack! Adressen är bekräftad. Från och med nu mejlar vi er när en upphandling matchar era bevakningar, och vi skickar strax de som redan är öppna.',
    'page.badLink': 'Länken är ogiltig eller har ändrats. Kopiera hela länken från mejlet.',
    'page.expiredLink': 'Länken har gått ut. Logga in i Brygga och be om ett nytt bekräftelsemejl.',
    'mail.alert.intro': 'Hej {company}! En ny upphandling matchar er bevakning.',
    'mail.alert.why': 'Därför fick ni det här mejlet',
    'mail.alert.link': 'Läs hela upphandlingen',
    'mail.footer': 'Ni får detta mejl eftersom {company} bevakar upphandlingar i Brygga.',
    'mail.alert.subjectPlanning': 'Förhandsinformation: {title}',
    'mail.alert.introPlanning': 'Hej {company}! En köpare planerar en upphandling som matchar er bevakning. Det går inte att lämna anbud ännu.',
    'mail.change.subject': 'Ändrad upphandling: {title}',
    'mail.change.intro': 'Hej {company}! En upphandling som vi har berättat om för er har ändrats.',
    'mail.withdrawn.subject': 'Återkallad upphandling: {title}',
    'mail.withdrawn.intro': 'Hej {company}! En upphandling som vi har berättat om för er har återkallats av köparen.',
    'mail.opening.subject.one': '1 öppen upphandling matchar er nya bevakning',
    'mail.opening.subject.many': '{n} öppna upphandlingar matchar er nya bevakning',
    'mail.opening.intro': 'Hej {company}! De här upphandlingarna är öppna nu och matchar er bevakning.',
    'mail.held.subject.one': '1 öppen upphandling som ni inte har fått mejl om',
    'mail.held.subject.many': '{n} öppna upphandlingar som ni inte har fått mejl om',
    'mail.held.intro': 'Hej {company}! Under en tid kunde vi inte mejla er adress. De här upphandlingarna som matchar er bevakning hann komma under tiden och är fortfarande öppna.',
    'mail.reminder.subject.one': 'Stänger snart: {title}',
    'mail.reminder.subject.many': '{n} upphandlingar stänger snart',
    'mail.reminder.intro': 'Hej {company}! Sista anbudsdag närmar sig för de här upphandlingarna som ni har fått tips om.',
    'mail.more': 'och {n} till',
    'mail.digest.subject': '{summary} – Brygga {period}',
    'mail.digest.period.daily': '{period}',
    'mail.digest.period.weekly': 'vecka {period}',
    'mail.digest.count.new.one': '1 ny upphandling',
    'mail.digest.count.new.many': '{n} nya upphandlingar',
    'mail.digest.count.closing.one': '1 som stänger snart',
    'mail.digest.count.closing.many': '{n} som stänger snart',
    'mail.digest.count.changed.one': '1 ändrad',
    'mail.digest.count.changed.many': '{n} ändrade',
    'mail.and': 'och',
    'change.deadline': 'Sista anbudsdag',
    'change.estimatedValue': 'Uppskattat värde',
    'change.cpv': 'Kategorier (CPV)',
    'change.lotCpv': 'Kategorier (CPV) för delområde {lot}',
    'change.lotValue': 'Uppskattat värde för delområde {lot}',
    'change.documents': 'Upphandlingsdokument',
    'change.withdrawn': 'Upphandlingen är återkallad.',
    'change.reason': 'Köparens motivering: {reason}',
    'change.none': 'inget angivet',
    'time.zone': 'svensk tid',
    'notice.contractValue': 'Kontrakterat värde',
    'notice.documents': 'Upphandlingsdokument',
    'notice.submission': 'Lämna anbud',
    'notice.source': 'Annonsen',
    'notice.reference': 'Diarienummer',
    'subscription.default': 'Våra kategorier',
    'page.error.notFound.title': 'Sidan finns inte',
    'page.error.notFound.text': 'Det finns ingen sida på den här adressen. Adressen kan vara felstavad eller ofullständig, eller så har sidan tagits bort.',
    'page.error.badLink.title': 'Länken fungerar inte',
    'page.error.badLink.text': 'Länken är ogiltig, har gått ut eller har ändrats på vägen. Öppna den igen från mejlet, eller kopiera hela länken till webbläsaren.',
    'page.error.badRequest.title': 'Sidan kunde inte visas',
    'page.error.badRequest.text': 'Något i förfrågan stämmer inte, till exempel ett tecken i adressen. Kontrollera adressen och försök igen.',
    'page.error.internal.title': 'Något gick fel hos oss',
    'page.error.internal.text': 'Sidan kunde inte visas på grund av ett fel i Brygga. Felet är loggat. Försök igen om en stund.',
    'page.error.status': 'Felkod {status}',
    'page.error.home': 'Till startsidan',
    // Signing in
    'page.login.title': 'Logga in',
    'page.login.intro': 'Skriv din e-postadress så skickar vi en länk som loggar in dig. Länken fungerar en gång och i {minutes} minuter.',
    'page.login.email': 'E-postadress',
    'page.login.send': 'Skicka länk',
    'page.login.sent': 'Om adressen finns hos oss har vi skickat en länk. Den fungerar en gång och i {minutes} minuter. Hittar du inget mejl, titta i skräpposten.',
    'page.login.question': 'Tryck på knappen för att logga in på Brygga.',
    'page.login.button': 'Logga in',
    'page.login.badLink.title': 'Länken fungerar inte längre',
    'page.login.badLink.text': 'Inloggningslänken har redan använts, har gått ut eller är inte hel. Varje länk fungerar en gång och i {minutes} minuter.',
    'page.login.again': 'Be om en ny länk',
    'mail.signin.subject': 'Logga in på Brygga',
    'mail.signin.body': 'Hej! Någon, förhoppningsvis du, har bett om en länk för att logga in på Brygga som {email}.',
    'mail.signin.link': 'Logga in',
    'mail.signin.expires': 'Länken fungerar en gång och i {minutes} minuter.',
    'mail.signin.ignore': 'Har du inte bett om länken kan du bortse från det här mejlet. Utan länken kan ingen logga in.',
    'page.error.tooMany.title': 'För många försök',
    'page.error.tooMany.text': 'Det har kommit för många försök på kort tid från dig eller till den här adressen. Vänta en stund och försök sedan igen.',
  },
  en: {
    ...commonMessages.en,
    ...publicMessages.en,
    ...firmMessages.en,
    ...officerMessages.en,
    ...staffMessages.en,
    ...statsMessages.en,
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
    'mail.digest.intro': 'Hello {company}! Here is the latest from Brygga.',
    'mail.digest.section.new': 'New tenders that fit you',
    'mail.digest.section.closing': 'Closing within 7 days',
    'mail.digest.section.changed': 'Changed tenders',
    'mail.unsubscribe.one': 'Stop the subscription “{name}”',
    'mail.unsubscribe.all': 'Stop all subscriptions',
    'mail.confirm.subject': 'Confirm your e-mail address for Brygga',
    'mail.confirm.body': 'Hello! Please confirm that {email} should receive tender alerts from Brygga for the company “{company}”. Nothing is sent before the address is confirmed.',
    'mail.confirm.expires': 'The link works for {days} days. After that, sign in to Brygga and ask for a new e-mail.',
    'mail.confirm.link': 'Confirm the address',
    'mail.confirm.ignore': 'Did not register? Then you can ignore this e-mail.',
    'mail.known.firm.subject': 'Someone tried to register your company in Brygga',
    'mail.known.firm.body': 'Hello! Someone tried to register “{company}” in Brygga today. The company is already registered, so nothing changed, and the answer to whoever registered did not reveal that the company is here.',
    'mail.known.firm.colleague': 'Was it a colleague? Sign in to Brygga as the company’s owner and invite them as a user.',
    'mail.known.address.subject': 'Someone tried to register a company with your address in Brygga',
    'mail.known.address.body': 'Hello! Someone tried to register a company in Brygga today with the address {email}. The address already belongs to an account in Brygga, and an e-mail address can belong to one user only, so nothing was registered.',
    'mail.known.address.you': 'Was it you? Register the company with another address, or ask the company’s owner to invite you.',
    'mail.known.ignore': 'If you do not recognise this, there is nothing you need to do. We send at most one such e-mail a day.',
    'page.unsubscribe.title': 'Unsubscribe',
    'page.unsubscribe.question.one': 'Stop the subscription “{name}” for {company}?',
    'page.unsubscribe.question.all': 'Stop all subscriptions for {company}?',
    'page.unsubscribe.button': 'Yes, stop',
    'page.unsubscribe.done': 'Done. {company} will get no more e-mail from this subscription.',
    'page.unsubscribe.doneAll': 'Done. {company} will get no more alerts from Brygga.',
    'page.confirm.title': 'Confirm e-mail address',
    'page.confirm.question': 'Confirm that {email} should receive alerts for {company}.',
    'page.confirm.button': 'Confirm',
    'page.confirm.done': 'Thank you! The address is confirmed. From now on we e-mail you when a tender matches your subscriptions, and we will shortly send the ones already open.',
    'page.badLink': 'The link is invalid or was changed. Copy the whole link from the e-mail.',
    'page.expiredLink': 'The link has expired. Sign in to Brygga and ask for a new confirmation e-mail.',
    'mail.alert.intro': 'Hello {company}! A new tender matches your subscription.',
    'mail.alert.why': 'Why you received this e-mail',
    'mail.alert.link': 'Read the full notice',
    'mail.footer': 'You receive this e-mail because {company} follows tenders in Brygga.',
    'mail.alert.subjectPlanning': 'Prior information: {title}',
    'mail.alert.introPlanning': 'Hello {company}! A buyer is planning a procurement that matches your subscription. Bids cannot be submitted yet.',
    'mail.change.subject': 'Changed tender: {title}',
    'mail.change.intro': 'Hello {company}! A tender we told you about has changed.',
    'mail.withdrawn.subject': 'Withdrawn tender: {title}',
    'mail.withdrawn.intro': 'Hello {company}! A tender we told you about has been withdrawn by the buyer.',
    'mail.opening.subject.one': '1 open tender matches your new subscription',
    'mail.opening.subject.many': '{n} open tenders match your new subscription',
    'mail.opening.intro': 'Hello {company}! These tenders are open now and match your subscription.',
    'mail.held.subject.one': '1 open tender you have not been e-mailed about',
    'mail.held.subject.many': '{n} open tenders you have not been e-mailed about',
    'mail.held.intro': 'Hello {company}! For a while we could not e-mail your address. These tenders matching your subscription arrived meanwhile and are still open.',
    'mail.reminder.subject.one': 'Closing soon: {title}',
    'mail.reminder.subject.many': '{n} tenders closing soon',
    'mail.reminder.intro': 'Hello {company}! The deadline is near for these tenders we told you about.',
    'mail.more': 'and {n} more',
    'mail.digest.subject': '{summary} – Brygga {period}',
    'mail.digest.period.daily': '{period}',
    'mail.digest.period.weekly': 'week {period}',
    'mail.digest.count.new.one': '1 new tender',
    'mail.digest.count.new.many': '{n} new tenders',
    'mail.digest.count.closing.one': '1 closing soon',
    'mail.digest.count.closing.many': '{n} closing soon',
    'mail.digest.count.changed.one': '1 changed',
    'mail.digest.count.changed.many': '{n} changed',
    'mail.and': 'and',
    'change.deadline': 'Submission deadline',
    'change.estimatedValue': 'Estimated value',
    'change.cpv': 'Categories (CPV)',
    'change.lotCpv': 'Categories (CPV) of lot {lot}',
    'change.lotValue': 'Estimated value of lot {lot}',
    'change.documents': 'Procurement documents',
    'change.withdrawn': 'The tender is withdrawn.',
    'change.reason': 'The buyer’s reason: {reason}',
    'change.none': 'none given',
    'time.zone': 'Swedish time',
    'notice.contractValue': 'Contract value',
    'notice.documents': 'Procurement documents',
    'notice.submission': 'Submit a tender',
    'notice.source': 'The notice',
    'notice.reference': 'Reference',
    'subscription.default': 'Our categories',
    'page.error.notFound.title': 'Page not found',
    'page.error.notFound.text': 'There is no page at this address. The address may be misspelt or incomplete, or the page has been removed.',
    'page.error.badLink.title': 'The link does not work',
    'page.error.badLink.text': 'The link is invalid, has expired or was changed on the way. Open it again from the e-mail, or copy the whole link into your browser.',
    'page.error.badRequest.title': 'The page could not be shown',
    'page.error.badRequest.text': 'Something in the request is not right, for example a character in the address. Check the address and try again.',
    'page.error.internal.title': 'Something went wrong on our side',
    'page.error.internal.text': 'The page could not be shown because of an error in Brygga. The error has been logged. Please try again in a while.',
    'page.error.status': 'Error code {status}',
    'page.error.home': 'Go to the start page',
    // Signing in
    'page.login.title': 'Sign in',
    'page.login.intro': 'Enter your e-mail address and we will send you a link that signs you in. The link works once, for {minutes} minutes.',
    'page.login.email': 'E-mail address',
    'page.login.send': 'Send link',
    'page.login.sent': 'If we know the address, we have sent a link to it. It works once, for {minutes} minutes. If no e-mail arrives, look in your spam folder.',
    'page.login.question': 'Press the button to sign in to Brygga.',
    'page.login.button': 'Sign in',
    'page.login.badLink.title': 'The link no longer works',
    'page.login.badLink.text': 'The sign-in link has been used already, has expired or is incomplete. Each link works once, for {minutes} minutes.',
    'page.login.again': 'Ask for a new link',
    'mail.signin.subject': 'Sign in to Brygga',
    'mail.signin.body': 'Hello! Someone, hopefully you, asked for a link to sign in to Brygga as {email}.',
    'mail.signin.link': 'Sign in',
    'mail.signin.expires': 'The link works once, for {minutes} minutes.',
    'mail.signin.ignore': 'If you did not ask for it, you can ignore this e-mail. Nobody can sign in without the link.',
    'page.error.tooMany.title': 'Too many attempts',
    'page.error.tooMany.text': 'Too many attempts came from you, or for this address, in a short time. Please wait a while and try again.',
  },
} satisfies Record<Lang, Record<string, string>>;

export type MessageKey = keyof (typeof messages)['sv'];

export function t(lang: Lang, key: MessageKey, vars: Record<string, string> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`);
}

const TIME_ZONE = 'Europe/Stockholm';

/** Dates are stored in UTC and shown in Swedish time; a date without a time stays a date. */
export function formatDateTime(iso: string, lang: Lang): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return formatDate(iso, lang);
  return cached(`date ${lang}`, () => new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE,
  })).format(new Date(iso));
}

/** A moment with the time zone said: "29 januari 2027 kl. 12:00 (svensk tid)". */
export function formatMoment(iso: string, lang: Lang): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatDate(iso, lang) : `${formatDateTime(iso, lang)} (${t(lang, 'time.zone')})`;
}

/** A calendar date ("31 januari 2026"); YYYY-MM-DD is read as that day, not as UTC midnight. */
export function formatDate(iso: string, lang: Lang): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return cached(`day ${lang}`, () => new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'long', timeZone: TIME_ZONE,
  })).format(date);
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
