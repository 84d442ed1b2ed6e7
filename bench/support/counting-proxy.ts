import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedExchange {
  at: number;
  method: string;
  path: string;
  target: string | undefined;
  status: number;
  requestBody: string;
  responseBody: string;
  /**
   * For a successful TransactWriteItems: its write units as DynamoDB bills them, worked out from the items (DynamoDB
   * Local's own ConsumedCapacity for transactions is wrong, see `transactionWriteUnits`).
   */
  transactionCapacity?: TransactionCapacity;
}

export interface TransactionCapacity {
  /** Table writes, 2 per KB of each item (rounded up per item), plus index writes. */
  writeUnits: number;
  /** Of which global secondary index writes, 1 per KB of each index entry written (ALL projection: the item's size). */
  indexUnits: number;
  /** What DynamoDB Local reported for the same transaction. */
  reportedUnits: number;
}

export interface CountingProxy {
  url: string;
  /** Called for each completed exchange (request and response fully read). */
  onExchange(listener: (exchange: ProxiedExchange) => void): void;
  /** Resolves once every exchange answered so far has reached the listeners (a transaction's cost is worked out after its answer). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

type Wire = Record<string, any>;

/**
 * An item's size as DynamoDB counts it: attribute names plus values (strings and binaries by their bytes, numbers
 * about one byte per two digits plus one, 3 bytes per map or list plus 1 per element, 1 for booleans and nulls).
 */
export function itemBytes(item: Wire): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueBytes(value as Wire);
  return bytes;
}

function valueBytes(value: Wire): number {
  if ('S' in value) return Buffer.byteLength(value.S as string);
  if ('N' in value) return Math.ceil(String(value.N).replace(/^-|\.|^0+|e.*$/gi, '').length / 2) + 1;
  if ('B' in value) return Buffer.from(value.B as string, 'base64').length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return (value.SS as string[]).reduce((n, s) => n + Buffer.byteLength(s), 0);
  if ('NS' in value) return (value.NS as string[]).reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if ('BS' in value) return (value.BS as string[]).reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
  if ('L' in value) return 3 + (value.L as Wire[]).reduce((n, v) => n + 1 + valueBytes(v), 0);
  if ('M' in value)
    return 3 + Object.entries(value.M as Wire).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + valueBytes(v as Wire), 0);
  return 1;
}

const KB = 1024;

interface TableShape {
  keys: string[];
  /** `projected`: the non-key attributes of an INCLUDE index (empty for KEYS_ONLY; unused for ALL). */
  indexes: { name: string; keys: string[]; projectsAll: boolean; projected: string[] }[];
}

interface KnownItem {
  bytes: number;
  /** Index name → the item's index key there (absent when the item is not in that index). */
  indexKeys: Record<string, string>;
  /** Index name → the item's projected non-key attributes there (indexes that do not project everything). */
  indexProjections: Record<string, string>;
}

/**
 * Works out what a TransactWriteItems costs, because DynamoDB Local (2026-01 jar) gets the sum wrong: it adds up only
 * the distinct per-item unit values (50 items of 100 bytes report 2 units, not 100). Per item this counts as DynamoDB
 * Local does (for a one-item transaction the two agree): 2 units per KB of the item, rounded up per item (an update or
 * overwrite: the larger of the item before and after; a delete: the item before), and 1 per KB for each global
 * secondary index entry written (ALL projection: the item's size; otherwise 1 KB, and only when the index key or a
 * projected attribute changed, as DynamoDB writes an index only then; 2 entries when the index key moved). The
 * transactional doubling is the base table's prepare-and-commit: DynamoDB propagates a finished transaction to its
 * indexes as it does any write (AWS, "Amazon DynamoDB Transactions: How it works"), and an index entry written by a
 * transaction costs what it costs outside one (measured against DynamoDB by the dynoxide emulator, nubo-db/dynoxide#188).
 * Sizes of items before the change come from what the proxy saw written, or else from a GetItem straight to the target.
 */
function createTransactionCostModel(target: URL) {
  const known = new Map<string, KnownItem>();
  const shapes = new Map<string, Promise<TableShape>>();
  const headers = (operation: string) => ({
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  });
  const call = async (operation: string, body: Wire) =>
    (await (await fetch(target, { method: 'POST', headers: headers(operation), body: JSON.stringify(body) })).json()) as Wire;

  const shapeOf = (table: string) => {
    if (!shapes.has(table)) {
      shapes.set(
        table,
        call('DescribeTable', { TableName: table }).then(({ Table }) => ({
          keys: (Table.KeySchema as Wire[]).map((k) => k.AttributeName as string),
          indexes: ((Table.GlobalSecondaryIndexes ?? []) as Wire[]).map((i) => ({
            name: i.IndexName as string,
            keys: (i.KeySchema as Wire[]).map((k) => k.AttributeName as string),
            projectsAll: i.Projection?.ProjectionType === 'ALL',
            projected: (i.Projection?.NonKeyAttributes ?? []) as string[],
          })),
        })),
      );
    }
    return shapes.get(table)!;
  };
  const id = (table: string, shape: TableShape, key: Wire) => [table, ...shape.keys.map((k) => JSON.stringify(key[k]))].join('\u0000');
  const describe = (shape: TableShape, item: Wire): KnownItem => {
    const indexKeys: Record<string, string> = {};
    const indexProjections: Record<string, string> = {};
    for (const index of shape.indexes) {
      if (!index.keys.every((k) => item[k])) continue;
      indexKeys[index.name] = index.keys.map((k) => JSON.stringify(item[k])).join('\u0000');
      if (!index.projectsAll)
        indexProjections[index.name] = JSON.stringify([...shape.keys, ...index.projected].map((a) => item[a] ?? null));
    }
    return { bytes: itemBytes(item), indexKeys, indexProjections };
  };
  const read = async (table: string, shape: TableShape, key: Wire): Promise<KnownItem | undefined> => {
    const { Item } = await call('GetItem', {
      TableName: table,
      Key: Object.fromEntries(shape.keys.map((k) => [k, key[k]])),
      ConsistentRead: true,
    });
    return Item ? describe(shape, Item as Wire) : undefined;
  };
  const indexUnits = (shape: TableShape, before: KnownItem | undefined, after: KnownItem | undefined) => {
    let units = 0;
    for (const index of shape.indexes) {
      const entry = (item: KnownItem) => Math.max(1, Math.ceil((index.projectsAll ? item.bytes : 0) / KB));
      const was = before?.indexKeys[index.name];
      const is = after?.indexKeys[index.name];
      if (was !== undefined && is !== undefined && was !== is) units += entry(before!) + entry(after!);
      else if (
        is !== undefined &&
        was === is &&
        !index.projectsAll &&
        before!.indexProjections[index.name] === after!.indexProjections[index.name]
      )
        continue;
      else if (is !== undefined) units += entry(after!);
      else if (was !== undefined) units += entry(before!);
    }
    return units;
  };

  /** Sizes the items need before the transaction runs (deletes and condition checks of items the proxy never saw). */
  async function prepare(request: Wire) {
    const actions = (request.TransactItems ?? []) as Wire[];
    const before: (KnownItem | undefined)[] = [];
    for (const action of actions) {
      const [kind, op] = Object.entries(action)[0] as [string, Wire];
      const shape = await shapeOf(op.TableName as string);
      const key = kind === 'Put' ? op.Item : op.Key;
      const cached = known.get(id(op.TableName, shape, key));
      before.push(
        cached ?? (kind === 'Delete' || kind === 'ConditionCheck' || kind === 'Update' ? await read(op.TableName, shape, key) : undefined),
      );
    }
    return before;
  }

  /** The cost once the transaction succeeded; updates are read back to learn the item after. */
  async function settle(request: Wire, before: (KnownItem | undefined)[]): Promise<Omit<TransactionCapacity, 'reportedUnits'>> {
    let writeUnits = 0;
    let indexTotal = 0;
    for (const [i, action] of ((request.TransactItems ?? []) as Wire[]).entries()) {
      const [kind, op] = Object.entries(action)[0] as [string, Wire];
      const shape = await shapeOf(op.TableName as string);
      const key = kind === 'Put' ? op.Item : op.Key;
      const itemId = id(op.TableName, shape, key);
      const was = before[i];
      const after =
        kind === 'Put'
          ? describe(shape, op.Item as Wire)
          : kind === 'Update'
            ? await read(op.TableName, shape, key)
            : kind === 'Delete'
              ? undefined
              : was;
      const bytes = Math.max(was?.bytes ?? 0, after?.bytes ?? 0, 1);
      writeUnits += 2 * Math.ceil(bytes / KB);
      if (kind !== 'ConditionCheck') {
        const units = indexUnits(shape, was, after);
        indexTotal += units;
        writeUnits += units;
      }
      if (after) known.set(itemId, after);
      else known.delete(itemId);
    }
    return { writeUnits, indexUnits: indexTotal };
  }

  /** Other writes (whose capacity DynamoDB Local reports correctly) keep the sizes up to date. */
  async function observe(operation: string, request: Wire) {
    if (operation === 'BatchWriteItem') {
      for (const [table, writes] of Object.entries((request.RequestItems ?? {}) as Record<string, Wire[]>)) {
        const shape = await shapeOf(table);
        for (const w of writes) {
          if (w.PutRequest) known.set(id(table, shape, w.PutRequest.Item), describe(shape, w.PutRequest.Item as Wire));
          else if (w.DeleteRequest) known.delete(id(table, shape, w.DeleteRequest.Key));
        }
      }
      return;
    }
    if (!/^(PutItem|UpdateItem|DeleteItem)$/.test(operation) || typeof request.TableName !== 'string') return;
    const shape = await shapeOf(request.TableName);
    if (operation === 'PutItem') known.set(id(request.TableName, shape, request.Item), describe(shape, request.Item as Wire));
    else known.delete(id(request.TableName, shape, request.Key));
  }

  return { prepare, settle, observe };
}

/**
 * A transparent HTTP proxy that sees every request and response: in front of DynamoDB Local it counts
 * operations (X-Amz-Target), asks for consumed capacity and works out what transactions cost; in front of the SES
 * endpoint it timestamps each accepted email. DynamoDB Local does not check SigV4 signatures, so the body may be amended.
 */
export async function startCountingProxy(targetUrl: string, options: { requestConsumedCapacity?: boolean } = {}): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const listeners: ((e: ProxiedExchange) => void)[] = [];
  const costs = options.requestConsumedCapacity ? createTransactionCostModel(target) : undefined;
  const pending = new Set<Promise<void>>();
  const forward = (req: IncomingMessage, body: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const headers: IncomingHttpHeaders = { ...req.headers, host: target.host, 'content-length': String(Buffer.byteLength(body)) };
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(out) }));
        up.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const handled = handle(req, res, Buffer.concat(chunks).toString('utf8')).finally(() => pending.delete(handled));
      pending.add(handled);
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse, received: string) {
    let body = received;
    const amzTarget = req.headers['x-amz-target'] as string | undefined;
    const operation = amzTarget?.split('.').at(-1) ?? '';
    let parsed: Wire | undefined;
    if (options.requestConsumedCapacity && amzTarget && body.startsWith('{')) {
      try {
        parsed = JSON.parse(body) as Wire;
        if (
          /^(PutItem|UpdateItem|DeleteItem|GetItem|Query|TransactWriteItems|TransactGetItems|BatchWriteItem|BatchGetItem|Scan)$/.test(
            operation,
          )
        ) {
          parsed.ReturnConsumedCapacity ??= 'TOTAL';
          body = JSON.stringify(parsed);
        }
      } catch {
        // Not JSON: forward unchanged.
      }
    }
    try {
      const before = costs && parsed && operation === 'TransactWriteItems' ? await costs.prepare(parsed).catch(() => undefined) : undefined;
      const up = await forward(req, body);
      res.writeHead(up.status, { ...up.headers, 'content-length': String(up.body.length) });
      res.end(up.body);
      const responseBody = up.body.toString('utf8');
      // After the answer, so that working out a transaction's cost does not slow the caller down.
      let transactionCapacity: TransactionCapacity | undefined;
      if (costs && parsed && up.status === 200) {
        if (operation === 'TransactWriteItems' && before) {
          const reported = ((JSON.parse(responseBody) as Wire).ConsumedCapacity ?? []) as { CapacityUnits?: number }[];
          const cost = await costs.settle(parsed, before).catch(() => undefined);
          if (cost) transactionCapacity = { ...cost, reportedUnits: reported.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0) };
        } else await costs.observe(operation, parsed).catch(() => undefined);
      }
      const exchange: ProxiedExchange = {
        at: Date.now(),
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        target: amzTarget,
        status: up.status,
        requestBody: body,
        responseBody,
        transactionCapacity,
      };
      for (const listener of listeners) listener(exchange);
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
    }
  }
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    onExchange: (listener) => void listeners.push(listener),
    flush: async () => void (await Promise.all([...pending])),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Sums per table (and in total) of what a set of DynamoDB requests cost. */
export interface DynamoFigures {
  requests: number;
  operations: Record<string, number>;
  capacityUnits: number;
  readUnits: number;
  /** Write units as DynamoDB bills them: DynamoDB Local's figure for single-item writes, worked out for transactions. */
  writeUnits: number;
  /** Write units exactly as DynamoDB Local reported them (wrong for transactions; what earlier runs of the bench showed). */
  reportedWriteUnits: number;
  /** Per operation and item kind (see `itemLabel`): requests and capacity units. */
  byItem: Record<string, { requests: number; units: number }>;
}

export interface DynamoTallySnapshot extends DynamoFigures {
  /** Everything except background requests, per table named in the request (`?` when none could be read). */
  byTable: Record<string, DynamoFigures>;
  /** Requests that belong to no incident (the API's outbox relay polling its index every second). */
  background: DynamoFigures;
}

const WRITE_OPERATIONS = /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)$/;

/** The API's outbox relay: a Query on the outbox index, sent every second whatever the load. */
export function isOutboxRelayPoll(operation: string, request: Record<string, any>): boolean {
  return (
    operation === 'Query' &&
    request.IndexName === 'gsi1' &&
    String(request.ExpressionAttributeValues?.[':pk']?.S ?? '').startsWith('OUTBOX')
  );
}

/** The tables a request names: TableName, TransactItems[].*.TableName or RequestItems' keys. */
export function tablesOf(request: Record<string, any>): string[] {
  const names = new Set<string>();
  if (typeof request.TableName === 'string') names.add(request.TableName);
  for (const item of (request.TransactItems ?? []) as Record<string, { TableName?: string }>[])
    for (const op of Object.values(item)) if (op?.TableName) names.add(op.TableName);
  for (const name of Object.keys(request.RequestItems ?? {})) names.add(name);
  return [...names];
}

const empty = (): DynamoFigures => ({
  requests: 0,
  operations: {},
  capacityUnits: 0,
  readUnits: 0,
  writeUnits: 0,
  reportedWriteUnits: 0,
  byItem: {},
});

/** An item's kind as its keys tell it: the sort key up to its first `#` (`AUDIT#0000000002` → AUDIT), or the pk's type segment. */
function kindOfKey(key: Record<string, any> | undefined): string {
  const sk = key?.sk?.S as string | undefined;
  if (sk) return sk.split('#')[0]!;
  const pk = String(key?.pk?.S ?? key?.[':pk']?.S ?? '?');
  return pk.split('#')[2] ?? pk.split('#')[0]!;
}

/**
 * What a request is about, for the per-item breakdown: `GetItem SETTINGS`, `Query INC INCIDENT` (partition type and
 * sort-key prefix), `TransactWriteItems AUDIT+INCIDENT+ONCE` (the item kinds it writes, sorted).
 */
export function itemLabel(operation: string, request: Record<string, any>): string {
  if (operation === 'TransactWriteItems') {
    const kinds = ((request.TransactItems ?? []) as Record<string, Record<string, any>>[]).map((action) => {
      const [kind, op] = Object.entries(action)[0]!;
      return `${kind === 'Put' || kind === 'Update' ? '' : `${kind}:`}${kindOfKey(op.Item ?? op.Key)}`;
    });
    const counts = new Map<string, number>();
    for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
    return `${operation} ${[...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => (n > 1 ? `${k}×${n}` : k))
      .join('+')}`;
  }
  if (operation === 'Query') {
    const values = request.ExpressionAttributeValues ?? {};
    const prefix = values[':prefix']?.S as string | undefined;
    return `Query ${request.IndexName ? `${request.IndexName} ` : ''}${kindOfKey({ ':pk': values[':pk'] })}${prefix ? ` ${prefix.split('#')[0]}` : ''}`;
  }
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') return operation;
  return `${operation} ${kindOfKey(request.Key ?? request.Item)}`;
}

function add(into: DynamoFigures, operation: string, units: number, writes: boolean, reported: number, label?: string) {
  into.requests++;
  into.operations[operation] = (into.operations[operation] ?? 0) + 1;
  if (label) {
    const entry = (into.byItem[label] ??= { requests: 0, units: 0 });
    entry.requests++;
    entry.units += units;
  }
  into.capacityUnits += units;
  if (writes) {
    into.writeUnits += units;
    into.reportedWriteUnits += reported;
  } else into.readUnits += units;
}

/**
 * Sums DynamoDB operations and consumed capacity units from proxied exchanges: in total (as before), per table, and
 * the background requests apart. DynamoDB Local reports only CapacityUnits (TOTAL, table plus indexes); the operation
 * says whether they are reads or writes. For a transaction the proxy's worked-out units replace DynamoDB Local's.
 */
export function createDynamoTally(options: { background?: (operation: string, request: Record<string, any>) => boolean } = {}) {
  const background = options.background ?? isOutboxRelayPoll;
  let total = empty();
  let backgroundFigures = empty();
  let byTable = new Map<string, DynamoFigures>();
  let lastActivityAt = 0;
  const record = (e: ProxiedExchange) => {
    if (!e.target) return;
    const operation = e.target.split('.').at(-1)!;
    let request: Record<string, any> = {};
    try {
      request = JSON.parse(e.requestBody) as Record<string, any>;
    } catch {
      // Not JSON: counted without a table.
    }
    let reported = 0;
    try {
      const parsed = JSON.parse(e.responseBody) as { ConsumedCapacity?: unknown };
      const list = Array.isArray(parsed.ConsumedCapacity)
        ? parsed.ConsumedCapacity
        : parsed.ConsumedCapacity
          ? [parsed.ConsumedCapacity]
          : [];
      for (const c of list as { CapacityUnits?: number }[]) reported += c.CapacityUnits ?? 0;
    } catch {
      // Error bodies carry no capacity.
    }
    const units = e.transactionCapacity?.writeUnits ?? reported;
    const writes = WRITE_OPERATIONS.test(operation);
    add(total, operation, units, writes, reported);
    if (background(operation, request)) return add(backgroundFigures, operation, units, writes, reported);
    lastActivityAt = e.at;
    const table = tablesOf(request).join('+') || '?';
    if (!byTable.has(table)) byTable.set(table, empty());
    add(byTable.get(table)!, operation, units, writes, reported, itemLabel(operation, request));
  };
  const copy = (f: DynamoFigures): DynamoFigures => ({
    ...f,
    operations: { ...f.operations },
    byItem: Object.fromEntries(Object.entries(f.byItem).map(([k, v]) => [k, { ...v }])),
  });
  const snapshot = (): DynamoTallySnapshot => ({
    ...copy(total),
    byTable: Object.fromEntries([...byTable].map(([k, v]) => [k, copy(v)])),
    background: copy(backgroundFigures),
  });
  const reset = () => {
    total = empty();
    backgroundFigures = empty();
    byTable = new Map();
  };
  /** When the last request that was not background completed (epoch ms); 0 before any. */
  const lastActivity = () => lastActivityAt;
  return { record, snapshot, reset, lastActivity };
}

/** One table's figures from a snapshot (zeros when the table saw no request). */
export const figuresOf = (snapshot: DynamoTallySnapshot, table: string): DynamoFigures => snapshot.byTable[table] ?? empty();
