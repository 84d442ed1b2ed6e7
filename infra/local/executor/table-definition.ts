/**
 * The executor's own DynamoDB table (kept apart from the application table so that its layout can change freely).
 *
 * | item  | pk                 | sk                   | gsi1 (pk / sk)                 | gsi2 (pk / sk)               | gsi3 (pk / sk)            |
 * |-------|--------------------|----------------------|--------------------------------|------------------------------|---------------------------|
 * | app   | `APP`              | app id               |                                |                              |                           |
 * | event | `EVENT#<id>`       | `EVENT`              | `EVENTS` / `<receivedAt>#<id>` |                              |                           |
 * | run   | `RUN#<id>`         | `RUN`                | `FN#<fnId>` / `<createdAt>#id` | `STATUS#<s>` / same          | `EVENTRUN#<eventId>` / same |
 * | job   | `JOBS`             | job id               |                                |                              |                           |
 * | wait  | `WAIT#<eventName>` | `<runId>#<stepId>`   |                                |                              |                           |
 *
 * Access patterns: jobs and apps are loaded whole at start-up (one partition each); an incoming event reads the
 * waits of its name; runs are listed by function, status or triggering event through the indexes.
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
