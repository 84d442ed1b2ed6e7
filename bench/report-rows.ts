// Table rows of items 1, 2 (DynamoDB per incident) and 6, kept apart from bench/index.ts so that a part can be run
// and printed on its own.
import type { StorageModelResult } from './storage-model';
import { round } from './support/stats';
import type { TriageResult } from './triage-pipeline';
import type { WritePathResult } from './write-path';

export type Row = [string, string, string, string];

/** The goal for one triaged one-jurisdiction incident, on the application table. */
export const PER_INCIDENT_GOAL = { requests: 25, writeUnits: 60 };

const kb = (bytes: number) => `${round(bytes / 1024, 1)} KB`;

export function writePathRows(write: WritePathResult): Row[] {
  const tx = write.createTransaction;
  const items = Object.entries(tx.items)
    .map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind))
    .join(', ');
  const rawSlot = (1000 * write.concurrency) / write.rawDynamoTxPerSecond;
  return [
    [
      '1 API write path: sustained POST /v1/breach-incidents, an Idempotency-Key each',
      `${write.apiPostsPerSecond}/s (without a key: ${write.apiPostsPerSecondWithoutKey}/s)`,
      `raw DynamoDB Local TransactWriteItems of the API's create transaction (${tx.itemCount} items: ${items}; ${tx.updates} updates; items written by two creations: API ${tx.sharedBetweenTwoPosts.length}, raw ${tx.sharedBetweenTwoReplays.length}): ${write.rawDynamoTxPerSecond}/s`,
      `${write.ratio}× (without a key ${write.ratioWithoutKey}×)`,
    ],
    [
      `1 API latency at half load (${write.halfLoadRate}/s)`,
      `p50 ${write.p50Ms} ms · p99 ${write.p99Ms} ms`,
      `1 / raw tx rate per in-flight slot: ${round(rawSlot)} ms`,
      `${round(write.p50Ms / rawSlot, 2)}× (p50)`,
    ],
  ];
}

export function triageDynamoRows(triage: TriageResult, write?: WritePathResult): Row[] {
  const app = triage.perIncident.appTable;
  const executor = triage.perIncident.executorTable;
  const post = write?.createTransaction;
  return [
    [
      `2 per one-jurisdiction incident (${triage.obligationsPerIncident} obligations): DynamoDB, application table (goal ≤ ${PER_INCIDENT_GOAL.requests} requests, ≤ ${PER_INCIDENT_GOAL.writeUnits} WCU)`,
      `${app.requests} requests, ${app.writeUnits} WCU + ${app.readUnits} RCU`,
      post
        ? `the POST alone (item 1): ${post.post.requests} requests, ${post.post.writeUnits} WCU (its transaction ${post.writeUnits})`
        : '—',
      `${round(app.requests / PER_INCIDENT_GOAL.requests, 2)}× / ${round(app.writeUnits / PER_INCIDENT_GOAL.writeUnits, 2)}× the goal`,
    ],
    [
      "2 per incident: DynamoDB, the local executor's own table (stands in for Inngest; not in the AWS cost)",
      `${executor.requests} requests, ${executor.writeUnits} WCU + ${executor.readUnits} RCU`,
      `application table: ${app.requests} requests, ${app.writeUnits} WCU`,
      `${round(executor.writeUnits / app.writeUnits, 2)}× the application table's WCU`,
    ],
  ];
}

export function storageRows(storage: StorageModelResult): Row[] {
  const rows: Row[] = [];
  const [first] = storage.cases;
  for (const [i, c] of storage.cases.entries()) {
    const where = c.jurisdictions.length === 1 ? c.jurisdictions[0] : `${c.jurisdictions.length} jurisdictions`;
    const label = `6 one incident with ${c.obligations} obligation${c.obligations === 1 ? '' : 's'} (${where}) through the stack, application table`;
    const measured =
      `${c.appTable.requests} requests, ${c.appTable.writeUnits} WCU (${c.appWcuPerObligation} per obligation; triage change ${c.triageChange.transactions} tx, ${c.triageChange.writeUnits} WCU); ` +
      `executor table ${c.executorTable.requests} requests, ${c.executorTable.writeUnits} WCU; 201→DPO email ${c.createdToDpoEmailMs} ms; largest item ${kb(c.partition.largestItemBytes)} (${c.partition.largestItemKind})${c.settled ? '' : '; NOT SETTLED'}`;
    const marginal = storage.marginalWcuPerObligation[i - 1];
    if (i === 0 || !marginal) {
      rows.push([
        label,
        measured,
        `goal for a one-jurisdiction incident: ≤ ${PER_INCIDENT_GOAL.requests} requests, ≤ ${PER_INCIDENT_GOAL.writeUnits} WCU`,
        `${round(c.appTable.requests / PER_INCIDENT_GOAL.requests, 2)}× / ${round(c.appTable.writeUnits / PER_INCIDENT_GOAL.writeUnits, 2)}× the goal`,
      ]);
    } else {
      rows.push([
        label,
        measured,
        `${first!.obligations}-obligation incident: ${first!.appTable.writeUnits} WCU`,
        `+${marginal.wcu} WCU per obligation added`,
      ]);
    }
  }
  const marginal = storage.marginalWcuPerObligation;
  if (marginal.length >= 2) {
    const [small, big] = [marginal[0]!, marginal.at(-1)!];
    rows.push([
      `6 WCU growth with obligations: per obligation added ${big.from}→${big.to}`,
      `${big.wcu} WCU`,
      `per obligation added ${small.from}→${small.to}: ${small.wcu} WCU`,
      `${storage.linearity}× (1 = linear; quadratic would be ≈ ${round((big.to - big.from) / (small.to - small.from), 1)}×)`,
    ]);
  }
  const dpo = storage.dpoEmail;
  rows.push([
    `6 201→DPO email, ${dpo.obligations}-obligation triage`,
    `${dpo.ms} ms`,
    `${first!.obligations}-obligation incident, same run: ${dpo.smallestMs} ms`,
    `${dpo.ratio}×`,
  ]);
  const largestTriage = storage.cases.reduce((a, b) => (b.obligations > a.obligations ? b : a), first!);
  const large = storage.large;
  const sizes = Object.entries(large.partition.largestByKind)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 3)
    .map(([kind, bytes]) => `${kind} ${kb(bytes)}`)
    .join(', ');
  rows.push([
    `6 ${large.obligations} obligations + ${large.tasks} tasks in one change through incidents.recordChange`,
    `${large.writeUnits} WCU (${large.wcuPerObligation} per obligation) in ${large.transactions} transactions = ${large.partition.triageChunks} audited chunks, ${large.requests} requests, ${large.durationMs} ms; largest items of ${large.partition.items}: ${sizes} (limit 16 KB)`,
    `${largestTriage.obligations}-obligation triage change: ${largestTriage.triageChange.writeUnits} WCU (${largestTriage.triageChange.wcuPerObligation} per obligation) in ${largestTriage.triageChange.transactions} tx`,
    `${storage.largeVsTriage}× WCU per obligation`,
  ]);
  return rows;
}
