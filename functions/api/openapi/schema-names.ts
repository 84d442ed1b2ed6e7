import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { AssessmentResult } from '../../../domain/assessment/schema';
import { severityLevelSchema } from '../../../domain/incidents/schema';
import { formFieldSchema } from '../../../domain/intake-forms/schema';
import { RenderedNotice } from '../../../domain/notice-templates/schema';
import { notificationSchema } from '../../../domain/notifications/schema';
import { obligationSummarySchema, trackedObligationSchema } from '../../../domain/obligations/schema';
import { Regime, RegulationSummary } from '../../../domain/regulations/schema';
import { assigneeSchema, taskSchema } from '../../../domain/tasks/schema';

/**
 * Component names for domain schemas. Domain code uses plain zod (no OpenAPI), and zod 4's `.openapi(name)` returns a
 * copy, so a name given there would not reach the schema objects routes use; the names are set on the domain's own
 * objects here instead. app.ts imports this module before any route, so every route sees the names.
 */
const names: [z.ZodType, string][] = [
  [AssessmentResult, 'AssessmentResult'],
  [severityLevelSchema, 'SeverityLevel'],
  [formFieldSchema, 'FormField'],
  [RenderedNotice, 'RenderedNotice'],
  [notificationSchema, 'Notification'],
  [trackedObligationSchema, 'Obligation'],
  [obligationSummarySchema, 'ObligationSummary'],
  [Regime, 'Regime'],
  [RegulationSummary, 'RegulationSummary'],
  [taskSchema, 'Task'],
  [assigneeSchema, 'Assignee'],
];

for (const [schema, refId] of names) {
  const current = zodToOpenAPIRegistry.get(schema) as { _internal?: Record<string, unknown> } | undefined;
  zodToOpenAPIRegistry.add(schema, { ...current, _internal: { ...current?._internal, refId } });
}
