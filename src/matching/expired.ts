// A requirement the firm once met: "Kräver Svanenmärkt – ert Svanen-certifikat
// gick ut 31 januari 2026" says what to renew, where "saknas" would not.
import { isRequirement, SATISFIES, type HeldCapability } from '../domain/csr.ts';
import { requirementReason, type MatchResult, type Reason } from '../domain/match.ts';
import { formatDate } from '../i18n/messages.ts';
import { requirementLabel } from '../domain/csr.ts';

const CERTIFICATE: Record<string, string> = {
  'iso-14001': 'ISO 14001', emas: 'EMAS', 'iso-9001': 'ISO 9001', 'iso-27001': 'ISO 27001', svanen: 'Svanen',
  'eu-ecolabel': 'EU Ecolabel', fairtrade: 'Fairtrade', organic: 'KRAV', mobelfakta: 'Möbelfakta',
};

export function explainExpired(result: MatchResult, held: HeldCapability[], today: string): MatchResult {
  if (result.missing.length === 0) return result;
  let reasons: Reason[] | null = null;
  for (const requirement of result.missing) {
    const by = isRequirement(requirement) ? SATISFIES[requirement] : [requirement];
    // The latest certificate that would have met it.
    const lapsed = held
      .filter((h) => h.validUntil !== null && h.validUntil < today && by.includes(h.capability as never))
      .sort((a, b) => b.validUntil!.localeCompare(a.validUntil!))[0];
    if (!lapsed) continue;
    const missing = requirementReason(requirement, false);
    const label = requirementLabel(requirement);
    const name = CERTIFICATE[lapsed.capability] ?? lapsed.capability;
    reasons ??= [...result.reasons];
    reasons = reasons.map((r) => (r === missing ? {
      code: 'requirement-expired',
      sv: `Kräver ${label.sv} – ert ${name}-certifikat gick ut ${formatDate(lapsed.validUntil!, 'sv')}`,
      en: `Requires ${label.en} – your ${name} certificate expired on ${formatDate(lapsed.validUntil!, 'en')}`,
    } : r));
  }
  return reasons ? { ...result, reasons } : result;
}
