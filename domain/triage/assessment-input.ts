import type { AssessmentInput } from '../assessment/schema';
import type { Incident } from '../incidents/schema';
import type { FieldMeaning, FormField } from '../intake-forms/schema';

/** How each seeded breach type reads as a cause and a breach nature; custom types fall back to "other". */
const breachTypeFacts: Record<string, { cause: AssessmentInput['cause']; nature: ('confidentiality' | 'integrity' | 'availability')[] }> = {
  type_unauthorized_access: { cause: 'cyber-attack', nature: ['confidentiality'] },
  type_data_theft: { cause: 'theft', nature: ['confidentiality'] },
  type_accidental_disclosure: { cause: 'human-error', nature: ['confidentiality'] },
  type_ransomware: { cause: 'ransomware', nature: ['availability', 'confidentiality'] },
  type_lost_device: { cause: 'lost-device', nature: ['confidentiality', 'availability'] },
  type_phishing: { cause: 'phishing', nature: ['confidentiality'] },
  type_system_misconfiguration: { cause: 'misconfiguration', nature: ['confidentiality'] },
};

const encryptionByAnswer: Record<string, NonNullable<AssessmentInput['encryption']>> = {
  'Not encrypted': { state: 'none', keyCompromised: false },
  'Partially encrypted': { state: 'partial', keyCompromised: false },
  'Fully encrypted': { state: 'full', keyCompromised: false },
  'Encrypted, but the key was compromised': { state: 'full', keyCompromised: true },
};

const exfiltrationByAnswer: Record<string, AssessmentInput['exfiltration']> = {
  Confirmed: 'confirmed',
  Suspected: 'suspected',
  'No evidence': 'none',
};

export interface OrgAssessmentContext {
  role: 'controller' | 'processor';
  mainEstablishment?: string;
}

/**
 * Reads an incident's mapped form answers as the assessment engine's input. Where the form does not say
 * how many people live where, every jurisdiction is assessed with the full count: over-notifying is
 * recoverable, a missed resident threshold is not. The reasons list says when that happened.
 */
export function assessmentInputFromIncident(
  incident: Incident,
  fields: FormField[],
  org: OrgAssessmentContext,
): { input: AssessmentInput; assumptions: string[] } {
  const answer = (meaning: FieldMeaning) => {
    const field = fields.find((f) => f.mapsTo === meaning);
    return field ? incident.responses[field.key] : undefined;
  };
  const assumptions: string[] = [];
  const count = typeof answer('affectedCount') === 'number' ? (answer('affectedCount') as number) : undefined;
  if (count === undefined) assumptions.push('The number of affected people is unknown; assessed as 1 per jurisdiction until it is known.');
  const jurisdictionsAnswer = answer('jurisdictions');
  const jurisdictions = Array.isArray(jurisdictionsAnswer)
    ? (jurisdictionsAnswer as string[])
    : typeof jurisdictionsAnswer === 'string'
      ? [jurisdictionsAnswer]
      : [];
  if (jurisdictions.length > 1 && count !== undefined) {
    assumptions.push(
      `The split of ${count} affected people across ${jurisdictions.join(', ')} is unknown; each jurisdiction is assessed with the full count.`,
    );
  }
  const categoriesAnswer = answer('dataCategories');
  const dataCategories = Array.isArray(categoriesAnswer)
    ? (categoriesAnswer as string[])
    : typeof categoriesAnswer === 'string'
      ? [categoriesAnswer]
      : [];
  const encryptionAnswer = answer('encryption');
  const encryption =
    typeof encryptionAnswer === 'boolean'
      ? { state: encryptionAnswer ? ('full' as const) : ('none' as const), keyCompromised: false }
      : (encryptionByAnswer[String(encryptionAnswer)] ?? { state: 'none' as const, keyCompromised: false });
  if (encryptionAnswer === undefined || encryptionAnswer === 'Unknown') assumptions.push('Encryption is unknown; assessed as unencrypted.');
  const exfiltrationAnswer = answer('exfiltration');
  const exfiltration =
    typeof exfiltrationAnswer === 'boolean'
      ? exfiltrationAnswer
        ? 'confirmed'
        : 'none'
      : (exfiltrationByAnswer[String(exfiltrationAnswer)] ?? 'suspected');
  const facts = (incident.breachTypeId && breachTypeFacts[incident.breachTypeId]) || {
    cause: 'other' as const,
    nature: ['confidentiality' as const],
  };
  const supplied = (incident.assessmentFacts ?? {}) as Partial<AssessmentInput>;
  if (supplied.affected) assumptions.splice(0, assumptions.length, ...assumptions.filter((a) => !a.includes('affected people')));
  return {
    input: {
      ...baseInput(),
      ...supplied,
      awareAt: incident.discoveredAt,
    },
    assumptions,
  };

  function baseInput(): AssessmentInput {
    return {
      awareAt: incident.discoveredAt,
      occurredAt: incident.occurredAt ?? undefined,
      personalDataInvolved: true,
      nature: facts.nature,
      cause: facts.cause,
      dataCategories,
      affected: jurisdictions.map((jurisdiction) => ({ jurisdiction, count: count ?? 1 })),
      encryption,
      exfiltration,
      role: org.role,
      mainEstablishment: org.mainEstablishment,
    };
  }
}
