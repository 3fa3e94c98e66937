// The error pages' strings, shaped like src/i18n/messages.ts so they can be
// merged into it (kept apart while that catalogue is being edited).
import type { Lang } from '../i18n/messages.ts';

export const errorMessages = {
  sv: {
    'page.error.notFound.title': 'Sidan finns inte',
    'page.error.notFound.text': 'Det finns ingen sida på den här adressen. Adressen kan vara felstavad eller ofullständig, eller så har sidan tagits bort.',
    'page.error.badLink.title': 'Länken fungerar inte',
    'page.error.badLink.text': 'Länken är ogiltig eller har ändrats på vägen. Öppna den igen från mejlet, eller kopiera hela länken till webbläsaren.',
    'page.error.badRequest.title': 'Sidan kunde inte visas',
    'page.error.badRequest.text': 'Något i förfrågan stämmer inte, till exempel ett tecken i adressen. Kontrollera adressen och försök igen.',
    'page.error.internal.title': 'Något gick fel hos oss',
    'page.error.internal.text': 'Sidan kunde inte visas på grund av ett fel i Brygga. Felet är loggat. Försök igen om en stund.',
    'page.error.status': 'Felkod {status}',
    'page.error.home': 'Till startsidan',
  },
  en: {
    'page.error.notFound.title': 'Page not found',
    'page.error.notFound.text': 'There is no page at this address. The address may be misspelt or incomplete, or the page has been removed.',
    'page.error.badLink.title': 'The link does not work',
    'page.error.badLink.text': 'The link is invalid or was changed on the way. Open it again from the e-mail, or copy the whole link into your browser.',
    'page.error.badRequest.title': 'The page could not be shown',
    'page.error.badRequest.text': 'Something in the request is not right, for example a character in the address. Check the address and try again.',
    'page.error.internal.title': 'Something went wrong on our side',
    'page.error.internal.text': 'The page could not be shown because of an error in Brygga. The error has been logged. Please try again in a while.',
    'page.error.status': 'Error code {status}',
    'page.error.home': 'Go to the start page',
  },
} satisfies Record<Lang, Record<string, string>>;

export type ErrorMessageKey = keyof (typeof errorMessages)['sv'];

export function errorText(lang: Lang, key: ErrorMessageKey, vars: Record<string, string> = {}): string {
  return errorMessages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`);
}
