import type { SlaPeriod } from '../severity/schema';

/**
 * The default breach workflow's stage SLAs. Triage is the seed's "initial assessment", which depends on
 * severity; later stages have fixed targets an organisation can tighten. Final stages have none.
 */
const fixedStageSlas: Record<string, SlaPeriod> = {
  INVESTIGATING: { amount: 72, unit: 'hours', label: '72 hours' },
  CONTAINMENT: { amount: 48, unit: 'hours', label: '48 hours' },
  NOTIFICATION: { amount: 72, unit: 'hours', label: '72 hours' },
  REMEDIATION: { amount: 10, unit: 'business-days', label: '10 business days' },
};

export function stageSlaPeriod(stage: string, severitySla: { initialAssessment: SlaPeriod } | undefined): SlaPeriod | undefined {
  if (stage === 'TRIAGE') return severitySla?.initialAssessment;
  return fixedStageSlas[stage];
}

/** A reminder before the SLA falls due, at three quarters of its length. */
export const SLA_REMINDER_FRACTION = 0.75;
