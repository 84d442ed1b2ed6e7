import { countryOf, jurisdictionCovers } from '../jurisdictions/codes';
import type { Authority, Regime, Rule } from '../regulations/schema';

/** The most specific authority competent for a jurisdiction (`DE-BY` before `DE`) that receives the given reports. */
export function findAuthority(
  regime: Regime,
  jurisdiction: string,
  receives: Authority['receives'] = 'supervisory-authority',
): Authority | undefined {
  const candidates = regime.authorities.filter((a) => a.receives === receives);
  const exact = candidates.find((a) => a.jurisdictions.includes(jurisdiction));
  if (exact) return exact;
  const country = countryOf(jurisdiction);
  return candidates.find((a) => a.jurisdictions.includes(country));
}

/**
 * The listed authority that receives a rule's reports in a jurisdiction: a data protection authority for the privacy
 * laws, the national CSIRT or competent authority for a sector regime such as NIS2. Other recipients have none.
 */
export function recipientAuthority(regime: Regime, rule: Rule, jurisdiction: string): Authority | undefined {
  return rule.recipient === 'supervisory-authority' || rule.recipient === 'sector-regulator'
    ? findAuthority(regime, jurisdiction, rule.recipient)
    : undefined;
}

export interface LeadAuthorityDecision {
  jurisdiction: string;
  authority?: Authority;
  crossBorder: boolean;
  reasoning: string;
}

/**
 * GDPR one-stop-shop (Art. 56(1), EDPB Guidelines 9/2022 §73): a controller whose main establishment is in
 * the EEA notifies the lead supervisory authority of that establishment for cross-border breaches; without
 * an EEA main establishment (a representative is not enough) it notifies every authority whose residents
 * are affected. A breach is treated as cross-border when residents of any country other than the
 * establishment's are affected (Art. 4(23)); otherwise the lead and the local authority coincide.
 */
export function selectLeadAuthority(
  regime: Regime,
  mainEstablishment: string | undefined,
  affectedJurisdictions: readonly string[],
): LeadAuthorityDecision | undefined {
  if (!regime.oneStopShop || !mainEstablishment) return undefined;
  if (!regime.jurisdictions.some((j) => jurisdictionCovers(j, mainEstablishment))) return undefined;
  const establishmentCountry = countryOf(mainEstablishment);
  const countries = new Set(affectedJurisdictions.map(countryOf));
  const crossBorder = [...countries].some((c) => c !== establishmentCountry);
  const authority = findAuthority(regime, mainEstablishment);
  return {
    jurisdiction: authority?.jurisdictions.includes(mainEstablishment) ? mainEstablishment : establishmentCountry,
    authority,
    crossBorder,
    reasoning: crossBorder
      ? `Main establishment in ${mainEstablishment}: residents of ${[...countries].join(', ')} affected, so this is cross-border and the lead supervisory authority (${authority?.name ?? establishmentCountry}) is notified under the one-stop-shop (Art. 56(1) GDPR; EDPB Guidelines 9/2022).`
      : `Main establishment in ${mainEstablishment} and only residents of ${establishmentCountry} affected: the local authority (${authority?.name ?? establishmentCountry}) is competent.`,
  };
}
