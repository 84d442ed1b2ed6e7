import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './keys';
import { withoutKeys } from './transactions';

const MAX_PAGES_PER_LISTING = 20;

export interface NewestFirstListing {
  /** An index of the table and the partition to read (e.g. keys.incidentsIndex(org)). */
  index: { index: string; pk: string };
  /** Sort-key range (timestamps sort as strings): inclusive bounds, either optional. */
  from?: string;
  to?: string;
  /** Attributes that must equal the given values; `a.b` reads a nested attribute. Undefined values are ignored. */
  equals: Record<string, string | undefined>;
  limit: number;
  cursor?: string;
}

/**
 * One page, newest first, from an index Query. Filters that are not keys are applied by DynamoDB page by page,
 * so a page is filled from at most a bounded number of reads and the cursor continues where reading stopped.
 */
export async function listNewestFirst<T>(doc: DynamoDBDocumentClient, tableName: string, listing: NewestFirstListing) {
  const pkName = `${listing.index.index}pk`;
  const names: Record<string, string> = { '#pk': pkName };
  const values: Record<string, unknown> = { ':pk': listing.index.pk };
  let keyCondition = '#pk = :pk';
  if (listing.from || listing.to) {
    names['#sk'] = `${listing.index.index}sk`;
    values[':from'] = listing.from ?? '0000';
    values[':to'] = `${listing.to ?? '9999'}~`;
    keyCondition += ' AND #sk BETWEEN :from AND :to';
  }
  const conditions = Object.entries(listing.equals)
    .filter(([, value]) => value !== undefined)
    .map(([path, value], i) => {
      const parts = path.split('.').map((part, j) => {
        names[`#f${i}_${j}`] = part;
        return `#f${i}_${j}`;
      });
      values[`:f${i}`] = value;
      return `${parts.join('.')} = :f${i}`;
    });
  const items: T[] = [];
  let startKey = decodeCursor(listing.cursor, listing.index.pk, pkName);
  for (let pages = 0; pages < MAX_PAGES_PER_LISTING && items.length < listing.limit; pages++) {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: listing.index.index,
        KeyConditionExpression: keyCondition,
        FilterExpression: conditions.length ? conditions.join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: listing.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []).map((item) => withoutKeys<T>(item)));
    startKey = page.LastEvaluatedKey;
    if (!startKey) break;
  }
  return { items, nextCursor: encodeCursor(startKey) };
}
