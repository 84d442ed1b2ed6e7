import type { FieldInput } from '../intake-forms/schema';
import type { Signal } from './schema';

export const SIGNAL_FORM_ID = 'form_signal_intake';

/**
 * The form signal-opened incidents are filed against: the facts a signal carries and nothing it
 * cannot know (data categories, jurisdictions), which responders add during triage. `detected_at` is
 * deliberately not mapped to discoveredAt: detection is not awareness.
 */
export const signalFormFields: FieldInput[] = [
  { key: 'description', label: 'What was detected', type: 'TEXTAREA', required: true, mapsTo: 'description', maxLength: 20_000 },
  { key: 'signal_source', label: 'Detection source', type: 'SELECT', required: true, options: ['sentry', 'audit-log'] },
  { key: 'signal_level', label: 'Signal level', type: 'TEXT', required: true, maxLength: 20 },
  { key: 'signal_id', label: 'Signal', type: 'TEXT', required: true, maxLength: 100 },
  { key: 'signal_fingerprint', label: 'Fingerprint', type: 'TEXT', required: true, maxLength: 1_000 },
  {
    key: 'detected_at',
    label: 'When the signal detected it',
    type: 'DATETIME',
    required: true,
    helpText: 'Detection time; awareness is decided separately.',
  },
  { key: 'signal_links', label: 'Links', type: 'TEXTAREA', required: false, maxLength: 20_000 },
];

export const signalForm = {
  id: SIGNAL_FORM_ID,
  name: 'Automated signal intake',
  description: 'Incidents opened from Sentry and audit-log signals',
  fields: signalFormFields,
};

export function signalFormResponses(signal: Signal) {
  return {
    description: `${signal.title}\n\nOpened automatically from a ${signal.source} ${signal.resource} signal (level ${signal.level}).`,
    signal_source: signal.source,
    signal_level: signal.level,
    signal_id: signal.id,
    signal_fingerprint: signal.fingerprint.slice(0, 1_000),
    detected_at: signal.detectedAt,
    ...(signal.links.length ? { signal_links: signal.links.map((l) => `${l.label}: ${l.url}`).join('\n') } : {}),
  };
}
