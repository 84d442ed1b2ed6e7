/**
 * The single description of the application table. The local stack creates it from this object and
 * sst.config.ts deploys it from the same object, so local and cloud tables cannot drift.
 * Key layouts live in keys.ts.
 */
const INCIDENT_FILTERS = ['stage', 'status', 'severity', 'breachTypeId'] as const;

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    // The incident filters by stage, status, severity and breach type sort by gsi1's sort key (the same newest-first order, no
    // second copy of it) and project the keys and the filter attributes only: a second filter applies on the index, a
    // change that sets none of them writes nothing to these indexes, and a list reads its page's summaries by key.
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi1sk', include: INCIDENT_FILTERS },
    { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi1sk', include: INCIDENT_FILTERS },
    { name: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi1sk', include: INCIDENT_FILTERS },
    { name: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi1sk', include: INCIDENT_FILTERS },
  ],
} as const;

export type GlobalIndexName = (typeof tableDefinition.globalIndexes)[number]['name'];
