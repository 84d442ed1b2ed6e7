import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { BatchReader, BatchWriter, existingKeys, foundKey } from './batch-writer';
import type { InngestEvent, Job, RegisteredApp, Run, RunStatus, Wait } from './types';

type Item = Record<string, unknown>;

export interface StoredEvent {
  event: InngestEvent;
  receivedAt: string;
  runIds: string[];
}

const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' });

/** The only code that knows the executor table's keys (see table-definition.ts). */
export class ExecutorStore {
  private readonly writer: BatchWriter;
  private readonly reader: BatchReader;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.writer = new BatchWriter(doc, tableName);
    this.reader = new BatchReader(doc, tableName);
  }

  async putApp(app: RegisteredApp): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: 'APP', sk: app.appId, body: JSON.stringify(app) } }));
  }

  async listApps(): Promise<RegisteredApp[]> {
    return (await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'APP' } })).map(
      (item) => JSON.parse(item.body as string) as RegisteredApp,
    );
  }

  /** Stores an event unless its id was seen before; returns false for a duplicate. */
  async putEventOnce(event: InngestEvent, receivedAt: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `EVENT#${event.id}`,
            sk: 'EVENT',
            gsi1pk: 'EVENTS',
            gsi1sk: `${receivedAt}#${event.id}`,
            body: JSON.stringify({ event, receivedAt, runIds: [] } satisfies StoredEvent),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Which of these events and runs are stored already (one strongly consistent BatchGetItem per 100 keys). */
  async existing(eventIds: string[], runIds: string[]): Promise<{ events: Set<string>; runs: Set<string> }> {
    const found = await existingKeys(this.doc, this.tableName, [
      ...eventIds.map((id) => ({ pk: `EVENT#${id}`, sk: 'EVENT' })),
      ...runIds.map((id) => runKey(id)),
    ]);
    return {
      events: new Set(eventIds.filter((id) => found.has(foundKey({ pk: `EVENT#${id}`, sk: 'EVENT' })))),
      runs: new Set(runIds.filter((id) => found.has(foundKey(runKey(id))))),
    };
  }

  /** Stores new runs (group-committed single-item puts); resolves once every one is stored. */
  async putNewRuns(runs: Run[]): Promise<void> {
    await Promise.all(runs.map((run) => this.writer.put(runItem(run), true)));
  }

  /** Stores accepted events with the ids of the runs they started; called only once those runs are stored. */
  async putEvents(events: { event: InngestEvent; runIds: string[] }[], receivedAt: string): Promise<void> {
    await Promise.all(
      events.map(({ event, runIds }) =>
        this.writer.put(
          {
            pk: `EVENT#${event.id}`,
            sk: 'EVENT',
            gsi1pk: 'EVENTS',
            gsi1sk: `${receivedAt}#${event.id}`,
            body: JSON.stringify({ event, receivedAt, runIds } satisfies StoredEvent),
          },
          true,
        ),
      ),
    );
  }

  async setEventRuns(eventId: string, runIds: string[]): Promise<void> {
    const stored = await this.getEvent(eventId);
    if (!stored) return;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `EVENT#${eventId}`,
          sk: 'EVENT',
          gsi1pk: 'EVENTS',
          gsi1sk: `${stored.receivedAt}#${eventId}`,
          body: JSON.stringify({ ...stored, runIds }),
        },
      }),
    );
  }

  async getEvent(eventId: string): Promise<StoredEvent | undefined> {
    const item = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `EVENT#${eventId}`, sk: 'EVENT' } }))).Item;
    return item ? (JSON.parse(item.body as string) as StoredEvent) : undefined;
  }

  async listEvents(limit: number): Promise<StoredEvent[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'EVENTS' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => JSON.parse(item.body as string) as StoredEvent);
  }

  /** One strongly consistent read; reads issued together are group-read (see BatchReader). */
  async getRun(runId: string): Promise<Run | undefined> {
    const item = await this.reader.get(runKey(runId));
    return item ? (JSON.parse(item.body as string) as Run) : undefined;
  }

  /** Strongly consistent reads of several runs in as few requests as fit (100 keys each). */
  async getRuns(runIds: string[]): Promise<Map<string, Run>> {
    const items = await this.reader.getMany(runIds.map(runKey));
    const runs = new Map<string, Run>();
    for (const item of items) {
      const run = item && (JSON.parse(item.body as string) as Run);
      if (run) runs.set(run.runId, run);
    }
    return runs;
  }

  async listRuns(filter: { functionId?: string; status?: RunStatus; eventId?: string; limit: number }): Promise<Run[]> {
    const [index, key] = filter.functionId
      ? ['gsi1', `FN#${filter.functionId}`]
      : filter.eventId
        ? ['gsi3', `EVENTRUN#${filter.eventId}`]
        : filter.status
          ? ['gsi2', `STATUS#${filter.status}`]
          : [undefined, undefined];
    if (!index) {
      const all = await Promise.all(
        (['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'] as const).map((status) =>
          this.listRuns({ status, limit: filter.limit }),
        ),
      );
      return all
        .flat()
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, filter.limit);
    }
    const items = await this.queryAll({
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': key },
      ScanIndexForward: false,
    });
    return items
      .map((item) => JSON.parse(item.body as string) as Run)
      .filter((run) => !filter.status || run.status === filter.status)
      .slice(0, filter.limit);
  }

  /** Legacy job items (tables written before due times moved into the run item). */
  async listJobs(): Promise<Job[]> {
    return (await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'JOBS' } })).map(
      (item) => JSON.parse(item.body as string) as Job,
    );
  }

  async deleteJob(jobId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: 'JOBS', sk: jobId } }));
  }

  /** Legacy wait items (tables written before waits moved into the run item); read once per event name. */
  async listWaits(eventName: string): Promise<Wait[]> {
    return (
      await this.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `WAIT#${eventName}` },
        ConsistentRead: true,
      })
    ).map((item) => JSON.parse(item.body as string) as Wait);
  }

  async deleteWait(eventName: string, sk: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `WAIT#${eventName}`, sk } }));
  }

  /** Every run that may still have work: the ones its due times and waits are rebuilt from on start. */
  async listOpenRuns(): Promise<Run[]> {
    const open = await Promise.all(
      (['queued', 'running', 'waiting'] as const).map((status) =>
        this.queryAll({
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': `STATUS#${status}` },
        }),
      ),
    );
    return open.flat().map((item) => JSON.parse(item.body as string) as Run);
  }

  /**
   * Writes a run's new state as one item: its due times (`jobs`) and waits live in the item, so a state change
   * never needs a transaction. A new run (`expectedVersion` undefined) is a conditional PutItem and false when it
   * exists; a change is group-committed without a condition, because the engine is the table's only writer and
   * orders each run's writes under the run's lock (the version still counts every change).
   */
  async putRun(run: Run, expectedVersion: number | undefined, body = JSON.stringify(run)): Promise<boolean> {
    if (expectedVersion !== undefined) {
      await this.writer.put(runItem(run, body));
      return true;
    }
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: runItem(run, body), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** How many runs have this status (a COUNT Query of the status index; nothing is read into memory). */
  async countRuns(status: RunStatus): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': `STATUS#${status}` },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function runItem(run: Run, body = JSON.stringify(run)): Item {
  const sortKey = `${run.createdAt}#${run.runId}`;
  return {
    ...runKey(run.runId),
    gsi1pk: `FN#${run.functionId}`,
    gsi1sk: sortKey,
    gsi2pk: `STATUS#${run.status}`,
    gsi2sk: sortKey,
    gsi3pk: `EVENTRUN#${run.event.id}`,
    gsi3sk: sortKey,
    version: run.version,
    body,
  };
}
