// The staff pages' strings (src/web/staff/), Swedish first; src/i18n/messages.ts merges them.
export const staffMessages = {
  sv: {
  },
  en: {
  },
};
