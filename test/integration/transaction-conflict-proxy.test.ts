import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactionConflictException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest';
import { startTransactionConflictProxy, type TransactionConflictProxy } from '../support/transaction-conflict-proxy';

/** The test double itself, with the raw SDK: DynamoDB Local behind it reports conflicts as DynamoDB does. */
describe('transaction-conflict proxy', () => {
  const TableName = inject('tableName');
  let proxy: TransactionConflictProxy;
  let client: DynamoDBClient;
  let pk: string;

  beforeAll(async () => {
    // A private proxy that holds each transaction's items 200 ms longer, so overlaps are certain.
    proxy = await startTransactionConflictProxy(inject('dynamoDirectEndpoint'), { holdMs: 200 });
    client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: proxy.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await proxy.stop();
  });
  beforeEach(() => {
    proxy.reset();
    pk = `PROXYTEST#${randomUUID()}`;
  });

  const key = (sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
  const put = (sk: string): TransactWriteItem => ({ Put: { TableName, Item: { ...key(sk), note: { S: sk } } } });
  const transact = (...TransactItems: TransactWriteItem[]) => client.send(new TransactWriteItemsCommand({ TransactItems }));
  const read = async (sk: string) => (await client.send(new GetItemCommand({ TableName, Key: key(sk) }))).Item;
  const inFlight = async (transactions: number) => {
    while (proxy.stats().transactions < transactions) await new Promise((r) => setTimeout(r, 5));
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable('the write succeeded'),
      (error: unknown) => error,
    );

  it('cancels a transaction that touches an item of an in-flight one, naming the clashing item', async () => {
    await client.send(new PutItemCommand({ TableName, Item: key('checked') }));
    const first = transact(put('shared'));
    await inFlight(1);

    const error = await failure(
      transact(
        { ConditionCheck: { TableName, Key: key('checked'), ConditionExpression: 'attribute_exists(pk)' } },
        {
          Update: {
            TableName,
            Key: key('shared'),
            UpdateExpression: 'SET note = :n',
            ExpressionAttributeValues: { ':n': { S: 'second' } },
          },
        },
        { Delete: { TableName, Key: key('other') } },
      ),
    );

    expect(error).toBeInstanceOf(TransactionCanceledException);
    const cancelled = error as TransactionCanceledException;
    expect(cancelled.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
      { Code: 'None' },
    ]);
    expect(cancelled.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict, None]',
    );
    expect(cancelled.$metadata.attempts).toBe(1);
    await first;
    expect((await read('shared'))?.note).toEqual({ S: 'shared' });
    expect(proxy.stats()).toEqual({ transactions: 2, conflicts: 1, singleWriteConflicts: 0 });
  });

  it('lets transactions on disjoint items run side by side', async () => {
    await Promise.all([transact(put('a1'), put('a2')), transact(put('b1'), put('b2'))]);

    expect(await read('a2')).toBeDefined();
    expect(await read('b2')).toBeDefined();
    expect(proxy.stats()).toEqual({ transactions: 2, conflicts: 0, singleWriteConflicts: 0 });
  });

  it('refuses single-item writes to an item of an in-flight transaction, and accepts them once it is done', async () => {
    const transaction = transact(put('held'), put('neighbour'));
    await inFlight(1);

    const refused = await Promise.all([
      failure(client.send(new PutItemCommand({ TableName, Item: { ...key('held'), note: { S: 'single' } } }))),
      failure(
        client.send(
          new UpdateItemCommand({
            TableName,
            Key: key('held'),
            UpdateExpression: 'SET note = :n',
            ExpressionAttributeValues: { ':n': { S: 'single' } },
          }),
        ),
      ),
      failure(client.send(new DeleteItemCommand({ TableName, Key: key('neighbour') }))),
    ]);
    for (const error of refused) {
      expect(error).toBeInstanceOf(TransactionConflictException);
      expect((error as TransactionConflictException).$metadata.attempts).toBe(1);
    }
    await client.send(new PutItemCommand({ TableName, Item: key('unrelated') }));
    expect(proxy.stats().singleWriteConflicts).toBe(3);

    await transaction;
    await client.send(new PutItemCommand({ TableName, Item: { ...key('held'), note: { S: 'single' } } }));
    expect((await read('held'))?.note).toEqual({ S: 'single' });
  });
});
