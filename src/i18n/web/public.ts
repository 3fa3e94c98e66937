// The public pages' strings (src/web/public/), Swedish first; src/i18n/messages.ts merges them.
export const publicMessages = {
  sv: {
  },
  en: {
  },
};
