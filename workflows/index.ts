import { createAwarenessSla } from './awareness-sla';
import { createDeliverWebhook } from './deliver-webhook';
import { createFanOutWebhooks } from './fan-out-webhooks';
import { createReassessIncident } from './reassess-incident';
import { createRegulatoryClock } from './regulatory-clock';
import { createSendNotification } from './send-notification';
import { createStageSla } from './stage-sla';
import { createTaskDue } from './task-due';
import { createTriageIncident } from './triage-incident';
import { createWorkflowClient } from './workflow-client';
import type { WorkflowDepsSource } from './workflow-client';

/** The Inngest client that serves this app's durable functions, and the functions array `serve()` exposes. */
export function createWorkflows(deps: WorkflowDepsSource, clientOptions: { baseUrl?: string; eventKey?: string; isDev?: boolean } = {}) {
  const client = createWorkflowClient(deps, clientOptions);
  const functions = [
    createTriageIncident(client),
    createRegulatoryClock(client),
    createStageSla(client),
    createSendNotification(client),
    createReassessIncident(client),
    createAwarenessSla(client),
    createFanOutWebhooks(client),
    createDeliverWebhook(client),
    createTaskDue(client),
  ];
  return { client, functions };
}

export type Workflows = ReturnType<typeof createWorkflows>;
