import { assessObligations, type AssessmentInput, type AssessmentResult, type Obligation } from '../../../domain/assessment';
import { defaultCatalog } from '../../../domain/regulations';

/** The catalog the scenario tests assess against, and one confirmed cyber-attack on government ids to vary. */
export const catalog = defaultCatalog();

export const baseScenario: AssessmentInput = {
  awareAt: '2026-03-02T14:00:00Z',
  personalDataInvolved: true,
  nature: ['confidentiality'],
  cause: 'cyber-attack',
  dataCategories: ['government-id'],
  affected: [],
  exfiltration: 'confirmed',
  role: 'controller',
};

export const run = (patch: Partial<AssessmentInput>): AssessmentResult => assessObligations({ ...baseScenario, ...patch }, catalog);
export const find = (r: AssessmentResult, id: string): Obligation | undefined => r.obligations.find((o) => o.id === id);

export function get(r: AssessmentResult, id: string): Obligation {
  const o = find(r, id);
  if (!o) throw new Error(`no obligation ${id}; got ${r.obligations.map((x) => x.id).join(', ')}`);
  return o;
}
