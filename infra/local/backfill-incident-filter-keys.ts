import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fileURLToPath } from 'node:url';
import { createDynamoClients } from '../dynamo/client';
import { keys } from '../dynamo/keys';

/** Items updated at once: a Scan page is written in groups of this many. */
const CONCURRENCY = 16;

interface StoredSummary {
  pk: string;
  sk: string;
  id: string;
  createdAt: string;
  stage: string;
  status: string;
  severity?: { level: string } | null;
  breachTypeId?: string | null;
  gsi3pk?: string;
  gsi6pk?: string;
  gsi2pk?: string;
}

/** A summary stored before the filter keys existed, or still in gsi2 (the by-type index that projected everything). */
const lacksFilterKeys = (summary: StoredSummary) =>
  !summary.gsi3pk || summary.gsi2pk !== undefined || (summary.breachTypeId && !summary.gsi6pk);

/**
 * One-shot backfill of the filter indexes' keys (gsi3-gsi6, keys.ts) on incident summaries stored before they existed;
 * it also takes summaries out of gsi2 (their by-type listing before gsi6). Idempotent: it reads only summaries that
 * lack a key or are still in gsi2, and each update is conditional on the summary still having the stage, status and
 * severity it derived the keys from (a summary changed meanwhile is read again). It is storage, not a change of the incident: no version, audit entry or event. It needs a Scan (no key lists
 * every organisation), so it lives with the local tooling and never runs on a request path or in a Lambda: `npm start` runs it on the persisted local table after ensureTable; on AWS run it once after the deploy that
 * adds the indexes (`TABLE_NAME=<table> AWS_REGION=<region> npx tsx infra/local/backfill-incident-filter-keys.ts`,
 * with credentials allowed to Scan and UpdateItem on the table); until it has run, filtered lists miss older incidents.
 * Returns how many summaries it updated.
 */
export async function backfillIncidentFilterKeys(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let updated = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression:
          '#kind = :incident AND (attribute_not_exists(gsi3pk) OR attribute_exists(gsi2pk) OR (attribute_exists(breachTypeId) AND attribute_not_exists(gsi6pk)))',
        ProjectionExpression: 'pk, sk, id, createdAt, #stage, #status, severity, breachTypeId, gsi3pk, gsi6pk, gsi2pk',
        ExpressionAttributeNames: { '#kind': 'kind', '#stage': 'stage', '#status': 'status' },
        ExpressionAttributeValues: { ':incident': 'incident' },
        ExclusiveStartKey,
      }),
    );
    const items = (page.Items ?? []) as StoredSummary[];
    for (let i = 0; i < items.length; i += CONCURRENCY) {
      const done = await Promise.all(items.slice(i, i + CONCURRENCY).map((item) => addFilterKeys(doc, tableName, item)));
      updated += done.filter(Boolean).length;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return updated;
}

async function addFilterKeys(doc: DynamoDBDocumentClient, tableName: string, read: StoredSummary): Promise<boolean> {
  let summary: StoredSummary | undefined = read;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!summary || !lacksFilterKeys(summary)) return false;
    const org = summary.pk.split('#')[1]!;
    const filterKeys: Record<string, string> = keys.incidentFilterKeys(org, { ...summary, severity: summary.severity ?? null });
    const names = Object.keys(filterKeys);
    const level = summary.severity?.level;
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: summary.pk, sk: summary.sk },
          UpdateExpression: `SET ${names.map((_, i) => `#k${i} = :k${i}`).join(', ')} REMOVE gsi2pk, gsi2sk`,
          ConditionExpression: `attribute_exists(pk) AND #stage = :stage AND #status = :status AND ${
            level ? '#severity.#level = :level' : '(attribute_not_exists(#severity) OR attribute_type(#severity, :null))'
          }`,
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, i) => [`#k${i}`, name])),
            '#stage': 'stage',
            '#status': 'status',
            '#severity': 'severity',
            ...(level ? { '#level': 'level' } : {}),
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, i) => [`:k${i}`, filterKeys[name]])),
            ':stage': summary.stage,
            ':status': summary.status,
            ...(level ? { ':level': level } : { ':null': 'NULL' }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: { pk: summary.pk, sk: summary.sk }, ConsistentRead: true }),
      );
      summary = Item as StoredSummary | undefined;
    }
  }
  throw new Error(`The filter keys of ${read.pk} could not be added: it kept changing`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME names the table to backfill');
  const { doc, raw } = createDynamoClients({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
  backfillIncidentFilterKeys(doc, tableName).then(
    (n) => {
      console.log(`Added the filter index keys to ${n} incident summaries of ${tableName}.`);
      raw.destroy();
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
