import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

interface Pending {
  item: Item;
  resolve: () => void;
  reject: (error: Error) => void;
}

const keyOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`;

/**
 * Group commit: single-item puts issued while earlier ones are in flight travel together in BatchWriteItem requests
 * (25 items each, a few requests at a time). Each put resolves only once DynamoDB has stored its item, so a caller
 * still writes before it acknowledges; under load DynamoDB Local stores several times more items per second this way.
 */
export class BatchWriter {
  private readonly queue: Pending[] = [];
  /** How many puts at the head of the queue were queued `first`. */
  private firsts = 0;
  private inflight = 0;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly maxInflight = 4,
  ) {}

  /** `first`: ahead of queued puts (event intake, whose sender waits for it). */
  put(item: Item, first = false): Promise<void> {
    return new Promise((resolve, reject) => {
      const pending = { item, resolve, reject };
      if (first) this.queue.splice(this.firsts++, 0, pending);
      else this.queue.push(pending);
      this.pump();
    });
  }

  private pump() {
    // Puts queued `first` may use two more requests than the rest, so that intake never waits behind a full pipe.
    while (this.queue.length > 0 && this.inflight < this.maxInflight + (this.firsts > 0 ? 2 : 0)) {
      // A request may not hold the same key twice: a later put of a key waits for the next request.
      const batch: Pending[] = [];
      const keys = new Set<string>();
      for (let i = 0; i < this.queue.length && batch.length < 25; ) {
        const key = keyOf(this.queue[i]!.item);
        if (keys.has(key)) {
          i++;
          continue;
        }
        keys.add(key);
        if (i < this.firsts) this.firsts--;
        batch.push(...this.queue.splice(i, 1));
      }
      this.inflight++;
      void this.send(batch).finally(() => {
        this.inflight--;
        this.pump();
      });
    }
  }

  private async send(batch: Pending[]) {
    let left = batch;
    try {
      for (let attempt = 0; left.length > 0; attempt++) {
        const out = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: left.map((p) => ({ PutRequest: { Item: p.item } })) } }),
        );
        const unprocessed = new Set((out.UnprocessedItems?.[this.tableName] ?? []).map((r) => keyOf(r.PutRequest!.Item!)));
        for (const p of left) if (!unprocessed.has(keyOf(p.item))) p.resolve();
        left = left.filter((p) => unprocessed.has(keyOf(p.item)));
        if (left.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));
      }
    } catch (error) {
      for (const p of left) p.reject(error as Error);
    }
  }
}

/** Which of `keys` exist (strongly consistent BatchGetItem, 100 keys a request, unprocessed keys asked again). */
export async function existingKeys(doc: DynamoDBDocumentClient, tableName: string, keys: Key[]): Promise<Set<string>> {
  const found = new Set<string>();
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  await Promise.all(
    Array.from({ length: Math.ceil(unique.length / 100) }, async (_, n) => {
      let ask: Key[] = unique.slice(n * 100, n * 100 + 100);
      for (let attempt = 0; ask.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));
        const out = await doc.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: ask, ConsistentRead: true, ProjectionExpression: 'pk, sk' } } }),
        );
        for (const item of out.Responses?.[tableName] ?? []) found.add(keyOf(item));
        ask = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
      }
    }),
  );
  return found;
}

export const foundKey = (key: Key) => `${key.pk}\u0000${key.sk}`;
