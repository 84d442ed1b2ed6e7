/**
 * The executor's own DynamoDB table (kept apart from the application table so that its layout can change freely).
 *
 * | item  | pk                 | sk                   | gsi1 (pk / sk)                 | gsi2 (pk / sk)               | gsi3 (pk / sk)            |
 * |-------|--------------------|----------------------|--------------------------------|------------------------------|---------------------------|
 * | app   | `APP`              | app id               |                                |                              |                           |
 * | event | `EVENT#<id>`       | `EVENT`              | `EVENTS` / `<receivedAt>#<id>` |                              |                           |
 * | run   | `RUN#<id>`         | `RUN`                | `FN#<fnId>` / `<createdAt>#id` | `STATUS#<s>` / same          | `EVENTRUN#<eventId>` / same |
 * | job   | `JOBS`             | job id               | (legacy: read once on start)   |                              |                           |
 * | wait  | `WAIT#<eventName>` | `<runId>#<stepId>`   | (legacy: no longer written)    |                              |                           |
 *
 * Access patterns: apps are loaded whole at start-up; a run's due times (`jobs`) and waits live in its own item,
 * so a state change is one conditional PutItem, and the in-memory timer and wait indexes are rebuilt on start from
 * the open runs (gsi2, statuses queued/running/waiting); runs are listed by function, status or triggering event.
 */
export const executorTableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;
