import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './keys';
import { tableDefinition } from './table-definition';
import { withoutKeys } from './transactions';

const MAX_PAGES_PER_LISTING = 20;
/** BatchGetItem's limit; a listing page is at most this long anyway. */
const MAX_KEYS_PER_BATCH = 100;

export interface NewestFirstListing {
  /** An index of the table and the partition to read (e.g. keys.incidentsIndex(org)). */
  index: { index: string; pk: string };
  /** The index projects only keys and the filter attributes: the page's items are then read by their primary keys. */
  readItemsByKey?: boolean;
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
  const definition = tableDefinition.globalIndexes.find((index) => index.name === listing.index.index);
  if (!definition) throw new Error(`No index ${listing.index.index} in the table definition`);
  const pkName = definition.partitionKey;
  const names: Record<string, string> = { '#pk': pkName };
  const values: Record<string, unknown> = { ':pk': listing.index.pk };
  let keyCondition = '#pk = :pk';
  if (listing.from || listing.to) {
    names['#sk'] = definition.sortKey;
    values[':from'] = listing.from ?? '0000';
    values[':to'] = `${listing.to ?? '9999'}~`;
    keyCondition += ' AND #sk BETWEEN :from AND :to';
  }
  const wanted = Object.entries(listing.equals).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const conditions = wanted.map(([path, value], i) => {
    const parts = path.split('.').map((part, j) => {
      names[`#f${i}_${j}`] = part;
      return `#f${i}_${j}`;
    });
    values[`:f${i}`] = value;
    return `${parts.join('.')} = :f${i}`;
  });
  const found: Record<string, unknown>[] = [];
  let startKey = decodeCursor(listing.cursor, listing.index.pk, pkName);
  for (let pages = 0; pages < MAX_PAGES_PER_LISTING && found.length < listing.limit; pages++) {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: listing.index.index,
        KeyConditionExpression: keyCondition,
        FilterExpression: conditions.length ? conditions.join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: listing.limit - found.length,
        ExclusiveStartKey: startKey,
      }),
    );
    found.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
    if (!startKey) break;
  }
  const items = listing.readItemsByKey
    ? await readByKey(doc, tableName, found, (item) => stillListed(item, listing, pkName, wanted))
    : found;
  return { items: items.map((item) => withoutKeys<T>(item)), nextCursor: encodeCursor(startKey) };
}

const valueAt = (item: Record<string, unknown>, path: string) =>
  path.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | null | undefined)?.[part], item);

/** An index lags its table a little: an item read by key that has left the listing's partition or filter since is skipped. */
const stillListed = (item: Record<string, unknown>, listing: NewestFirstListing, pkName: string, wanted: [string, string][]) =>
  item[pkName] === listing.index.pk && wanted.every(([path, value]) => valueAt(item, path) === value);

/** The items of index entries by their primary keys, in the entries' order (BatchGetItem, unprocessed keys asked again). */
async function readByKey(
  doc: DynamoDBDocumentClient,
  tableName: string,
  entries: Record<string, unknown>[],
  keep: (item: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>[]> {
  const keyOf = (item: Record<string, unknown>) => `${item.pk}\n${item.sk}`;
  const byKey = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < entries.length; i += MAX_KEYS_PER_BATCH) {
    let ask: Record<string, unknown>[] | undefined = entries.slice(i, i + MAX_KEYS_PER_BATCH).map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 0; ask?.length; attempt++) {
      if (attempt >= 8) throw new Error(`${ask.length} listed items stayed unread after ${attempt} attempts`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt)));
      const answer: BatchGetCommandOutput = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: ask } } }));
      for (const item of answer.Responses?.[tableName] ?? []) byKey.set(keyOf(item), item);
      ask = answer.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return entries.flatMap((entry) => {
    const item = byKey.get(keyOf(entry));
    return item && keep(item) ? [item] : [];
  });
}
