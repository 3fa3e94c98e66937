// Dates as the Swedish calendar has them.

/** YYYY-MM-DD in Swedish time: certificates expire, and digests are dated, by the Swedish calendar. */
export const stockholmDate = (now: Date): string => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(now);
