// The firm pages' strings (src/web/firm/), Swedish first; src/i18n/messages.ts merges them.
export const firmMessages = {
  sv: {
  },
  en: {
  },
};
