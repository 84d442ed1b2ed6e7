import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appendAuditEntry, emptyChain } from '../../domain/audit/chain';
import { defaultBreachTypes } from '../../domain/breach-types/default-types';
import { defaultForm } from '../../domain/intake-forms/default-form';
import { normaliseFields } from '../../domain/intake-forms/field-rules';
import { keys } from './keys';
import type { BreachTypeRepository } from './breach-type-repository';
import type { IntakeFormRepository } from './intake-form-repository';
import type { WorkflowRepository } from './workflow-repository';
import { DEFAULT_WORKFLOW, defaultWorkflowDefinition } from '../../domain/workflow/default-workflow';
import { LostRaceError, retryLostRaces } from './audited-write';
import { writeTransaction } from './transactions';

/**
 * Every organisation starts with the seed's breach types, a published standard form and the default
 * breach workflow. Provisioning
 * runs on an org's first request, in one transaction guarded by a marker item, so it happens once
 * however many requests race; a process remembers the orgs it has seen.
 */
export function createOrgProvisioner(
  doc: DynamoDBDocumentClient,
  tableName: string,
  types: BreachTypeRepository,
  forms: IntakeFormRepository,
  workflows: WorkflowRepository,
) {
  const provisioned = new Set<string>();

  return async function ensureOrgProvisioned(org: string, now: Date): Promise<void> {
    if (provisioned.has(org)) return;
    // A provisioning still in flight elsewhere (DynamoDB reports TransactionConflict) may yet fail: look again after it.
    await retryLostRaces(() => provisionOnce(org, now));
    provisioned.add(org);
  };

  async function provisionOnce(org: string, now: Date): Promise<void> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.orgMarker(org), ConsistentRead: true }));
    if (!Item) {
      const at = now.toISOString();
      const { fields } = normaliseFields(defaultForm.fields);
      const { entry, chain } = appendAuditEntry(emptyChain, {
        at: now,
        actor: { type: 'system', id: 'provisioning' },
        action: 'form.provisioned',
        details: { name: defaultForm.name, publishedVersion: 1 },
      });
      const items = [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.orgMarker(org), kind: 'org', orgId: org, provisionedAt: at },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...defaultBreachTypes.flatMap((t) => types.createItems(org, { ...t, builtIn: true, version: 1, createdAt: at, updatedAt: at })),
        ...forms.createItems(
          org,
          {
            id: defaultForm.id,
            name: defaultForm.name,
            description: defaultForm.description,
            latestVersion: 1,
            publishedVersion: 1,
            draftVersion: null,
            version: 1,
            createdAt: at,
            updatedAt: at,
            audit: chain,
          },
          { formId: defaultForm.id, number: 1, status: 'PUBLISHED', fields, createdAt: at, publishedAt: at },
          entry,
        ),
        ...workflows.createItems(
          org,
          {
            id: DEFAULT_WORKFLOW.id,
            name: defaultWorkflowDefinition.name,
            currentVersion: DEFAULT_WORKFLOW.version,
            version: 1,
            createdAt: at,
            updatedAt: at,
          },
          {
            workflowId: DEFAULT_WORKFLOW.id,
            number: DEFAULT_WORKFLOW.version,
            definition: defaultWorkflowDefinition,
            createdAt: at,
            createdBy: 'system',
          },
        ),
      ];
      // A failed condition means another request provisioned the org first, which is the goal.
      const alreadyProvisioned = new Error('already provisioned');
      await writeTransaction(doc, items, (index) =>
        index < 0 ? new LostRaceError(`Organisation ${org} is being provisioned by another request`) : alreadyProvisioned,
      ).catch((error) => {
        if (error !== alreadyProvisioned) throw error;
      });
    }
  }
}
