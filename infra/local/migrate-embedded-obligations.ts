import { ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { summarizeObligations } from '../../domain/obligations/rules';
import type { TrackedObligation } from '../../domain/obligations/schema';
import { keys } from '../dynamo/keys';

const CHUNK = 90;

/**
 * One-shot start-up migration of data written before incidents became item collections: an incident item that still
 * embeds its `obligations` gets one item per obligation and its summary, then loses the embedded copy. Items are
 * written before the summary is changed (guarded by its version), so a run that dies half-way is simply run again.
 * Local tooling only: `npm start` runs it once on the persisted local table (data from before incidents were item
 * collections), so the Scan it needs never runs on a request path or in the cloud. Returns how many incidents it moved.
 */
export async function migrateEmbeddedObligations(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let moved = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#kind = :incident AND attribute_exists(obligations)',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':incident': 'incident' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      await splitIncident(doc, tableName, item);
      moved++;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return moved;
}

async function splitIncident(doc: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>) {
  const obligations = item.obligations as TrackedObligation[];
  const [org, incidentId] = [String(item.pk).split('#')[1]!, item.id as string];
  for (let i = 0; i < obligations.length; i += CHUNK) {
    const chunk = obligations.slice(i, i + CHUNK);
    await doc.send(
      new TransactWriteCommand({
        TransactItems: chunk.map((o) => ({
          Put: { TableName: tableName, Item: { ...keys.obligation(org, incidentId, o.id), kind: 'obligation', ...o } },
        })),
      }),
    );
  }
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: keys.incident(org, incidentId),
            UpdateExpression: 'SET obligationSummary = :summary REMOVE obligations',
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':summary': summarizeObligations(obligations), ':v': item.version },
          },
        },
      ],
    }),
  );
}
