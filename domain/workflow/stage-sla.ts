import type { SlaPeriod } from '../severity/schema';
import type { StageSla } from './schema';

/** A stage's SLA as a period: fixed in the definition, or from the seed's severity table once the incident is scored. */
export function stageSlaPeriod(
  sla: StageSla | null,
  severitySla: Record<'initialAssessment' | 'escalationToDpLead', SlaPeriod> | undefined,
): SlaPeriod | undefined {
  if (!sla) return undefined;
  if (sla.type === 'by-severity') return severitySla?.[sla.measure];
  return { amount: sla.amount, unit: sla.unit, label: `${sla.amount} ${sla.unit === 'hours' ? 'hours' : 'business days'}` };
}

/** A reminder before the SLA falls due, at three quarters of its length. */
export const SLA_REMINDER_FRACTION = 0.75;
