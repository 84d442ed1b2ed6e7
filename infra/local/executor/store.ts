import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { InngestEvent, Job, RegisteredApp, Run, RunStatus, Wait } from './types';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface RunWrite {
  run: Run;
  expectedVersion: number | undefined;
  putJobs?: Job[];
  deleteJobIds?: string[];
  putWaits?: Wait[];
  deleteWaits?: { eventName: string; sk: string }[];
}

export interface StoredEvent {
  event: InngestEvent;
  receivedAt: string;
  runIds: string[];
}

const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' });

/** The only code that knows the executor table's keys (see table-definition.ts). */
export class ExecutorStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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

  /**
   * Stores a new event together with the runs it starts (run, first job, cancel waits) in one transaction, so
   * an accepted event never lacks its runs; returns false when the event id was seen before.
   */
  /**
   * Stores several events with their runs in one transaction (DynamoDB commits a 30-item transaction several
   * times faster per item than ten 3-item ones). Returns false when any of them was seen before: the caller
   * then stores them one by one so the duplicate alone is dropped.
   */
  async putEventsWithRuns(batch: { event: InngestEvent; runs: { run: Run; jobs: Job[]; waits: Wait[] }[] }[], receivedAt: string): Promise<boolean> {
    const items: TransactItem[] = batch.flatMap(({ event, runs }) => [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: `EVENT#${event.id}`, sk: 'EVENT', gsi1pk: 'EVENTS', gsi1sk: `${receivedAt}#${event.id}`, body: JSON.stringify({ event, receivedAt, runIds: runs.map((r) => r.run.runId) } satisfies StoredEvent) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...runs.flatMap(({ run, jobs, waits }) => [
        { Put: { TableName: this.tableName, Item: runItem(run) } },
        ...jobs.map((job) => ({ Put: { TableName: this.tableName, Item: jobItem(job) } })),
        ...waits.map((wait) => ({ Put: { TableName: this.tableName, Item: waitItem(wait) } })),
      ]),
    ]);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
      throw error;
    }
  }

  async putEventWithRuns(event: InngestEvent, receivedAt: string, runs: { run: Run; jobs: Job[]; waits: Wait[] }[]): Promise<boolean> {
    const eventPut: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: `EVENT#${event.id}`,
          sk: 'EVENT',
          gsi1pk: 'EVENTS',
          gsi1sk: `${receivedAt}#${event.id}`,
          body: JSON.stringify({ event, receivedAt, runIds: runs.map((r) => r.run.runId) } satisfies StoredEvent),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const rest: TransactItem[] = runs.flatMap(({ run, jobs, waits }) => [
      { Put: { TableName: this.tableName, Item: runItem(run) } },
      ...jobs.map((job) => ({ Put: { TableName: this.tableName, Item: jobItem(job) } })),
      ...waits.map((wait) => ({ Put: { TableName: this.tableName, Item: waitItem(wait) } })),
    ]);
    try {
      if (rest.length < 100) {
        await this.doc.send(new TransactWriteCommand({ TransactItems: [eventPut, ...rest] }));
        return true;
      }
      // Too many runs for one transaction: runs first (an event replayed after a crash re-creates the same ones).
      for (let i = 0; i < rest.length; i += 25) await this.doc.send(new TransactWriteCommand({ TransactItems: rest.slice(i, i + 25) }));
      await this.doc.send(new TransactWriteCommand({ TransactItems: [eventPut] }));
      return true;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
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

  async getRun(runId: string): Promise<Run | undefined> {
    const item = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: runKey(runId), ConsistentRead: true }))).Item;
    return item ? (JSON.parse(item.body as string) as Run) : undefined;
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
        (['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'] as const).map((status) => this.listRuns({ status, limit: filter.limit })),
      );
      return all.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, filter.limit);
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

  async listJobs(): Promise<Job[]> {
    return (await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'JOBS' } })).map(
      (item) => JSON.parse(item.body as string) as Job,
    );
  }

  async putJob(job: Job): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: jobItem(job) }));
  }

  async deleteJob(jobId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: 'JOBS', sk: jobId } }));
  }

  async listWaits(eventName: string): Promise<Wait[]> {
    return (
      await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `WAIT#${eventName}` }, ConsistentRead: true })
    ).map((item) => JSON.parse(item.body as string) as Wait);
  }

  /**
   * Writes a run with the jobs and waits that its new state implies, in one transaction when it fits; larger
   * fan-outs write jobs first (their ids are deterministic, so a replay after a crash overwrites them).
   */
  async writeRun({ run, expectedVersion, putJobs = [], deleteJobIds = [], putWaits = [], deleteWaits = [] }: RunWrite): Promise<void> {
    const runPut: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: runItem(run),
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      },
    };
    const others: TransactItem[] = [
      ...putJobs.map((job) => ({ Put: { TableName: this.tableName, Item: jobItem(job) } })),
      ...putWaits.map((wait) => ({ Put: { TableName: this.tableName, Item: waitItem(wait) } })),
      ...deleteJobIds.filter((id) => !putJobs.some((j) => j.jobId === id)).map((id) => ({ Delete: { TableName: this.tableName, Key: { pk: 'JOBS', sk: id } } })),
      ...deleteWaits.map((w) => ({ Delete: { TableName: this.tableName, Key: { pk: `WAIT#${w.eventName}`, sk: w.sk } } })),
    ];
    if (others.length < 99) {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [runPut, ...others] }));
      return;
    }
    const [deletions, puts] = [others.filter((o) => o.Delete), others.filter((o) => o.Put)];
    for (let i = 0; i < puts.length; i += 25) {
      await this.doc.send(new TransactWriteCommand({ TransactItems: puts.slice(i, i + 25) }));
    }
    await this.doc.send(new TransactWriteCommand({ TransactItems: [runPut] }));
    for (let i = 0; i < deletions.length; i += 25) {
      await this.doc.send(new TransactWriteCommand({ TransactItems: deletions.slice(i, i + 25) }));
    }
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

function runItem(run: Run): Item {
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
    body: JSON.stringify(run),
  };
}

const jobItem = (job: Job): Item => ({ pk: 'JOBS', sk: job.jobId, body: JSON.stringify(job) });
const waitItem = (wait: Wait): Item => ({ pk: `WAIT#${wait.eventName}`, sk: wait.sk, body: JSON.stringify(wait) });
