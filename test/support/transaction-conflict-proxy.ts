import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tableDefinition } from '../../infra/dynamo/table-definition';

export interface TransactionConflictStats {
  transactions: number;
  conflicts: number;
  singleWriteConflicts: number;
}

export interface TransactionConflictProxy {
  url: string;
  stats(): TransactionConflictStats;
  reset(): void;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Keyed = { TableName?: string; Key?: Record<string, unknown>; Item?: Record<string, unknown> };

const singleWrites = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * Makes DynamoDB Local answer like DynamoDB when writes overlap a transaction: DynamoDB Local serialises
 * transactions, real DynamoDB cancels a TransactWriteItems that touches an item of another in-flight one
 * (TransactionCanceledException, reason TransactionConflict) and refuses a PutItem/UpdateItem/DeleteItem on
 * such an item (TransactionConflictException). The SDK retries neither, so code that overlaps must cope.
 * DynamoDB Local does not check SigV4 signatures, so bodies can be read.
 */
export async function startTransactionConflictProxy(
  targetUrl: string,
  options: { holdMs?: number } = {},
): Promise<TransactionConflictProxy> {
  const target = new URL(targetUrl);
  const held = new Set<string>();
  const counts: TransactionConflictStats = { transactions: 0, conflicts: 0, singleWriteConflicts: 0 };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(chunks) }));
        up.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .at(-1) ?? '';
    const input = parseJson(body);

    if (operation === 'TransactWriteItems' && input) {
      counts.transactions++;
      const items = ((input.TransactItems ?? []) as Record<string, Keyed>[]).map((action) => identify(Object.values(action)[0] ?? {}));
      if (items.some((item) => held.has(item))) {
        counts.conflicts++;
        return send(res, cancellation(items.map((item) => held.has(item))));
      }
      // Checked and taken in the same tick, so two transactions can never both take an item.
      const taken = new Set(items);
      for (const item of taken) held.add(item);
      let answer: Answer;
      try {
        answer = await forward(req, body);
        if (options.holdMs) await new Promise((r) => setTimeout(r, options.holdMs));
      } finally {
        // Released before answering: a caller's next write after its own commit must not conflict with it.
        for (const item of taken) held.delete(item);
      }
      return send(res, answer);
    }

    if (singleWrites.has(operation) && input && held.has(identify(input as Keyed))) {
      counts.singleWriteConflicts++;
      return send(res, dynamoError('TransactionConflictException', { message: 'Transaction is ongoing for the item' }));
    }

    send(res, await forward(req, body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: () => ({ ...counts }),
    reset: () => Object.assign(counts, { transactions: 0, conflicts: 0, singleWriteConflicts: 0 }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An item is its table and primary key; Put names it by `Item`, the other actions by `Key`. */
function identify({ TableName, Key, Item }: Keyed): string {
  const attributes = Key ?? Item ?? {};
  return JSON.stringify([TableName, attributes[tableDefinition.partitionKey], attributes[tableDefinition.sortKey]]);
}

function cancellation(conflicting: boolean[]): Answer {
  const reasons = conflicting.map((c) =>
    c ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' },
  );
  return dynamoError('TransactionCanceledException', {
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    CancellationReasons: reasons,
  });
}

function dynamoError(type: string, fields: Record<string, unknown>): Answer {
  const body = Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, ...fields }));
  return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() }, body };
}

function send(res: ServerResponse, { status, headers, body }: Answer) {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name)));
  res.writeHead(status, { ...kept, 'content-length': String(body.length) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
