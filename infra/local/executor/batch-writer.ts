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
  private pumpQueued = false;

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
      // Sent once the current job's microtasks have run, so that puts issued together (a batch of fired timers, a
      // run's end and its event) share a request even when none is in flight.
      if (this.pumpQueued) return;
      this.pumpQueued = true;
      queueMicrotask(() => {
        this.pumpQueued = false;
        this.pump();
      });
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

interface PendingRead {
  key: Key;
  resolve: (item: Item | undefined) => void;
  reject: (error: Error) => void;
}

/**
 * Group read: strongly consistent single-item reads issued while earlier ones are in flight travel together in
 * BatchGetItem requests (100 keys each). A read issued when none is in flight goes at once, so that a lone read costs
 * no wait; many timers falling due together (a virtual-clock jump) cost a few requests instead of one each.
 */
export class BatchReader {
  private readonly queue: PendingRead[] = [];
  private inflight = 0;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly maxInflight = 2,
  ) {}

  get(key: Key): Promise<Item | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      this.pump();
    });
  }

  /** Several reads queued together, so that they share requests (up to 100 keys each) from the first. */
  getMany(keys: Key[]): Promise<(Item | undefined)[]> {
    const reads = keys.map((key) => new Promise<Item | undefined>((resolve, reject) => this.queue.push({ key, resolve, reject })));
    this.pump();
    return Promise.all(reads);
  }

  private pump() {
    while (this.queue.length > 0 && this.inflight < this.maxInflight) {
      // One request may not ask for the same key twice: later reads of a key wait for the next request.
      const batch: PendingRead[] = [];
      const keys = new Set<string>();
      for (let i = 0; i < this.queue.length && batch.length < 100; ) {
        const key = foundKey(this.queue[i]!.key);
        if (keys.has(key)) {
          i++;
          continue;
        }
        keys.add(key);
        batch.push(...this.queue.splice(i, 1));
      }
      this.inflight++;
      void this.send(batch).finally(() => {
        this.inflight--;
        this.pump();
      });
    }
  }

  private async send(batch: PendingRead[]) {
    let left = batch;
    try {
      for (let attempt = 0; left.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));
        const out = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: left.map((p) => p.key), ConsistentRead: true } } }),
        );
        const items = new Map((out.Responses?.[this.tableName] ?? []).map((item) => [keyOf(item), item]));
        const unprocessed = new Set(((out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[]).map(foundKey));
        for (const p of left) if (!unprocessed.has(foundKey(p.key))) p.resolve(items.get(foundKey(p.key)));
        left = left.filter((p) => unprocessed.has(foundKey(p.key)));
      }
    } catch (error) {
      for (const p of left) p.reject(error as Error);
    }
  }
}
