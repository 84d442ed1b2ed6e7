import { z } from 'zod';

export const defaultStages = ['REPORTED', 'TRIAGE', 'INVESTIGATING', 'CONTAINMENT', 'NOTIFICATION', 'REMEDIATION', 'CLOSED', 'DISMISSED'] as const;
export const stageKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'an upper-case stage key such as INVESTIGATING');

export const DEFAULT_WORKFLOW = { id: 'wf_default_breach', version: 1 } as const;

/**
 * The built-in breach workflow until configurable workflows land: forward through the response,
 * back to investigation when containment or notification reveals more, and out to DISMISSED early.
 */
export const defaultTransitions: Record<string, string[]> = {
  REPORTED: ['TRIAGE', 'DISMISSED'],
  TRIAGE: ['INVESTIGATING', 'DISMISSED'],
  INVESTIGATING: ['CONTAINMENT', 'NOTIFICATION', 'DISMISSED'],
  CONTAINMENT: ['INVESTIGATING', 'NOTIFICATION', 'REMEDIATION'],
  NOTIFICATION: ['INVESTIGATING', 'REMEDIATION'],
  REMEDIATION: ['CLOSED'],
  CLOSED: [],
  DISMISSED: [],
};

export const initialStage = 'REPORTED';
export const terminalStages = new Set(['CLOSED', 'DISMISSED']);
