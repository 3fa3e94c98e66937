// The officer pages' strings (src/web/officer/), Swedish first; src/i18n/messages.ts merges them.
export const officerMessages = {
  sv: {
  },
  en: {
  },
};
