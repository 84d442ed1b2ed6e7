import { InvalidError } from '../../domain/shared/errors';

/**
 * The only place item keys are built. Every key starts with the tenant, so no query can cross
 * organisations. One table (table-definition.ts), these entities and access patterns:
 *
 * | entity              | pk                         | sk                    | gsi1pk / gsi1sk                         | gsi2pk / gsi2sk                    | serves |
 * |---------------------|----------------------------|-----------------------|-----------------------------------------|------------------------------------|--------|
 * | org marker          | ORG#{org}                  | META                  |                                         |                                    | provisioning once per org |
 * | org settings        | ORG#{org}                  | SETTINGS              |                                         |                                    | the organisation's DPO, escalation, role and tuning |
 * | breach type         | ORG#{org}                  | TYPE#{typeId}         |                                         |                                    | list/get types (Query sk begins_with TYPE#) |
 * | type name guard     | ORG#{org}                  | TYPENAME#{lower name} |                                         |                                    | unique names (conditional put in the same transaction) |
 * | intake form         | ORG#{org}                  | FORM#{formId}         |                                         |                                    | list/get forms |
 * | form version        | ORG#{org}#FORM#{formId}    | V#{n:6}               |                                         |                                    | versions of a form, in order |
 * | form audit entry    | ORG#{org}#FORM#{formId}    | AUDIT#{seq:10}        |                                         |                                    | a form's audit chain |
 * | incident (summary)  | ORG#{org}#INC#{incId}      | INCIDENT              | ORG#{org}#INCIDENTS / {createdAt}#{id}  |                                    | get; list newest first (lists read only summaries) |
 * | incident filter keys| (the summary item)         |                       | gsi3: ORG#{org}#STAGE#{stage}, gsi4: ORG#{org}#STATUS#{status}, gsi5: ORG#{org}#SEVERITY#{level}, gsi6: ORG#{org}#TYPE#{typeId}; their sk is gsi1sk |  | list by stage, status, severity or breach type newest first (one Query; see below) |
 * | incident report     | ORG#{org}#INC#{incId}      | INCIDENT#REPORT       |                                         |                                    | the form's answers; read with the summary (sk begins_with INCIDENT) |
 * | incident obligation | ORG#{org}#INC#{incId}      | OBL#{obligationId}    |                                         |                                    | an incident's obligations (the aggregate Query) |
 * | incident assessment | ORG#{org}#INC#{incId}      | ASSESSMENT            |                                         |                                    | the assessment's reasons, assumptions and warnings (kept off the summary) |
 * | reassessment        | ORG#{org}#INC#{incId}      | REASSESS#{reaId}      |                                         |                                    | facts supplied after the report |
 * | form reference      | ORG#{org}#FORMREF#{formId} | INC#{incId}           |                                         |                                    | delete protection: is a form used (consistent Query, Limit 1; count) |
 * | type reference      | ORG#{org}#TYPEREF#{typeId} | INC#{incId}           |                                         |                                    | delete protection: is a breach type used |
 * | incident audit      | ORG#{org}#INC#{incId}      | AUDIT#{seq:10}        |                                         |                                    | the incident's audit chain |
 * | incident comment    | ORG#{org}#INC#{incId}      | COMMENT#{cmtId}       |                                         |                                    | comments of an incident |
 * | idempotency record  | ORG#{org}#IDEMP#{key hash} | IDEMP                 |                                         |                                    | replay of a POST (TTL expiresAt) |
 * | idempotent creation | ORG#{org}#IDEMP#{key hash} | CREATED               |                                         |                                    | the incident a key created, written with it (TTL expiresAt) |
 * | incident attachment | ORG#{org}#INC#{incId}      | ATT#{attId}           |                                         |                                    | evidence files' records (the file itself is in the evidence bucket) |
 * | incident task       | ORG#{org}#INC#{incId}      | TASK#{taskId}         |                                         |                                    | tasks of an incident |
 * | once marker         | ORG#{org}#INC#{incId}      | ONCE#{actionKey}[#n]  |                                         |                                    | a workflow step's change applied once |
 * | email delivery      | ORG#{org}#INC#{incId}      | DELIVERY#{key}        |                                         |                                    | an email sent at most once per recipient and purpose |
 * | workflow            | ORG#{org}                  | WF#{workflowId}       |                                         |                                    | list/get workflow definitions |
 * | workflow version    | ORG#{org}#WF#{workflowId}  | V#{n:6}               |                                         |                                    | the definition an incident runs on |
 * | notification        | ORG#{org}#INC#{incId}      | NTF#{ntfId}           |                                         |                                    | an incident's notifications |
 * | notification pointer| ORG#{org}                  | NTFPTR#{ntfId}        |                                         |                                    | find a notification's incident by its id |
 * | outbox event        | ORG#{org}#INC#{incId}      | OUTBOX#{eventId}      | OUTBOX#{shard 0-15} / {createdAt}#{id}  |                                    | events written with their change, sent after |
 * | signal              | ORG#{org}#SIG#{sigId}      | SIGNAL                | ORG#{org}#SIGNALS / {receivedAt}#{id}   | ORG#{org}#SIGFP#{fp hash} / same   | get; list newest first; list by fingerprint |
 * | signal audit        | ORG#{org}#SIG#{sigId}      | AUDIT#{seq:10}        |                                         |                                    | the signal's audit chain |
 * | webhook delivery    | ORG#{org}#HOOK#{src}#{id hash} | HOOKDELIVERY      |                                         |                                    | one signal per delivery; replays refused (TTL expiresAt) |
 * | fingerprint guard   | ORG#{org}#SIGFP#{fp hash}  | GUARD                 |                                         |                                    | one open incident per fingerprint and window (conditional put) |
 * | signal rules        | ORG#{org}                  | SIGNALRULES           |                                         |                                    | what a signal does, per org |
 * | signal rules audit  | ORG#{org}#SIGNALRULES      | AUDIT#{seq:10}        |                                         |                                    | changes to the rules |
 * | webhook secret      | ORG#{org}#WEBHOOK#{src}    | SECRET                |                                         |                                    | verify a source's deliveries (current + previous in grace) |
 * | webhook secret audit| ORG#{org}#WEBHOOK#{src}    | AUDIT#{seq:10}        |                                         |                                    | secret creation and rotation |
 * | form submission key | ORG#{org}#FORM#{formId}    | SUBKEY#{keyId}        |                                         |                                    | a web form's public keys (list: begins_with SUBKEY#; verify by id) |
 * | submission key audit| ORG#{org}#SUBKEY#{keyId}   | AUDIT#{seq:10}        |                                         |                                    | key creation, rotation, revocation |
 * | webhook subscription| ORG#{org}                  | WHSUB#{subId}         |                                         |                                    | list/get an organisation's outbound webhook subscriptions |
 * | subscription audit  | ORG#{org}#WHSUB#{subId}    | AUDIT#{seq:10}        |                                         |                                    | creation, edits, secret rotation, disabling |
 * | webhook delivery log| ORG#{org}#WHSUB#{subId}    | DLV#{deliveryId}      |                                         |                                    | a subscription's deliveries, newest first (ULID ids sort by time) |
 * | inbox message       | ORG#{org}#INBOX#{type}:{id} | MSG#{createdAt}#{msgId} |                                       |                                    | a role's, team's or user's in-app inbox, newest first |
 * | inbox message guard | ORG#{org}#INBOXMSG#{msgId} | MSG                   |                                         |                                    | one message per purpose and audience; finds a message by id |
 * | inbox reads         | ORG#{org}#INBOXREAD#{sub}  | READ#{msgId} / WATERMARK |                                      |                                    | what one person has read (each, or all up to a point) |
 * | rate-limit counter  | ORG#{org}#RATE#{scope}#{subject hash}#{window} | RATE |                                  |                                    | web-form submissions per key / IP and window (TTL expiresAt) |
 *
 * The filter indexes gsi3-gsi6 sort by gsi1sk and project only the keys and stage/status/severity/breachTypeId: a change moves an incident between
 * their partitions in the same write that changes the attribute (severity's is absent until triage), a filtered list
 * reads one of them (stage, then type, then severity, then status; a second filter is a FilterExpression on it) and
 * gets the page's summaries by key. Items stored before these keys existed (and summaries still in gsi2, the
 * by-type index of every attribute they had before gsi6) get them from infra/local/backfill-incident-filter-keys.ts.
 * An incident is an item collection: the whole aggregate (summary, obligations, tasks, notifications, comments,
 * reassessments) is one Query on its partition; audit entries, once markers, deliveries and outbox events share the
 * partition but are not part of the aggregate's state. Creations write only items of their own (the incident's
 * partition, their reference items, their idempotency record): no item is shared between two creations.
 */
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Outbox events of every organisation meet in one index; spread over shards, no index partition takes every
 * change's write (a partition absorbs about 1,000 write units a second).
 */
const OUTBOX_SHARDS = 16;
const outboxShardOf = (eventId: string) => [...eventId].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % OUTBOX_SHARDS;

export const orgKey = (org: string) => `ORG#${org}`;

export const keys = {
  orgMarker: (org: string) => ({ pk: orgKey(org), sk: 'META' }),
  orgSettings: (org: string) => ({ pk: orgKey(org), sk: 'SETTINGS' }),
  breachType: (org: string, typeId: string) => ({ pk: orgKey(org), sk: `TYPE#${typeId}` }),
  breachTypePrefix: 'TYPE#',
  breachTypeName: (org: string, name: string) => ({ pk: orgKey(org), sk: `TYPENAME#${name.trim().toLowerCase()}` }),
  form: (org: string, formId: string) => ({ pk: orgKey(org), sk: `FORM#${formId}` }),
  formPrefix: 'FORM#',
  formVersion: (org: string, formId: string, n: number) => ({ pk: `${orgKey(org)}#FORM#${formId}`, sk: `V#${pad(n, 6)}` }),
  formVersionPrefix: 'V#',
  formPartition: (org: string, formId: string) => `${orgKey(org)}#FORM#${formId}`,
  auditEntry: (partition: string, seq: number) => ({ pk: partition, sk: `AUDIT#${pad(seq, 10)}` }),
  auditPrefix: 'AUDIT#',
  incidentPartition: (org: string, incidentId: string) => `${orgKey(org)}#INC#${incidentId}`,
  incident: (org: string, incidentId: string) => ({ pk: `${orgKey(org)}#INC#${incidentId}`, sk: 'INCIDENT' }),
  incidentListing: (org: string, createdAt: string, incidentId: string) => ({
    gsi1pk: `${orgKey(org)}#INCIDENTS`,
    gsi1sk: `${createdAt}#${incidentId}`,
  }),
  /** The filter indexes' partition keys of a summary (they sort by its gsi1sk): written with every change of stage, status, severity or type. */
  incidentFilterKeys: (
    org: string,
    summary: { stage: string; status: string; severity: { level: string } | null; breachTypeId?: string | null },
  ) => ({
    gsi3pk: `${orgKey(org)}#STAGE#${summary.stage}`,
    gsi4pk: `${orgKey(org)}#STATUS#${summary.status}`,
    ...(summary.severity ? { gsi5pk: `${orgKey(org)}#SEVERITY#${summary.severity.level}` } : {}),
    ...(summary.breachTypeId ? { gsi6pk: `${orgKey(org)}#TYPE#${summary.breachTypeId}` } : {}),
  }),
  /** The summary attributes the filter keys follow. */
  incidentFilterAttributes: ['stage', 'status', 'severity', 'breachTypeId'] as const,
  incidentsIndex: (org: string) => ({ index: 'gsi1' as const, pk: `${orgKey(org)}#INCIDENTS` }),
  incidentsByStageIndex: (org: string, stage: string) => ({ index: 'gsi3' as const, pk: `${orgKey(org)}#STAGE#${stage}` }),
  incidentsByStatusIndex: (org: string, status: string) => ({ index: 'gsi4' as const, pk: `${orgKey(org)}#STATUS#${status}` }),
  incidentsBySeverityIndex: (org: string, level: string) => ({ index: 'gsi5' as const, pk: `${orgKey(org)}#SEVERITY#${level}` }),
  incidentsByTypeIndex: (org: string, typeId: string) => ({ index: 'gsi6' as const, pk: `${orgKey(org)}#TYPE#${typeId}` }),
  obligation: (org: string, incidentId: string, obligationId: string) => ({
    pk: `${orgKey(org)}#INC#${incidentId}`,
    sk: `OBL#${obligationId}`,
  }),
  incidentReport: (org: string, incidentId: string) => ({ pk: `${orgKey(org)}#INC#${incidentId}`, sk: 'INCIDENT#REPORT' }),
  incidentSummaryPrefix: 'INCIDENT',
  incidentAssessment: (org: string, incidentId: string) => ({ pk: `${orgKey(org)}#INC#${incidentId}`, sk: 'ASSESSMENT' }),
  reassessment: (org: string, incidentId: string, reassessmentId: string) => ({
    pk: `${orgKey(org)}#INC#${incidentId}`,
    sk: `REASSESS#${reassessmentId}`,
  }),
  formReferencePartition: (org: string, formId: string) => `${orgKey(org)}#FORMREF#${formId}`,
  typeReferencePartition: (org: string, typeId: string) => `${orgKey(org)}#TYPEREF#${typeId}`,
  reference: (partition: string, incidentId: string) => ({ pk: partition, sk: `INC#${incidentId}` }),
  comment: (org: string, incidentId: string, commentId: string) => ({ pk: `${orgKey(org)}#INC#${incidentId}`, sk: `COMMENT#${commentId}` }),
  commentPrefix: 'COMMENT#',
  attachment: (org: string, incidentId: string, attachmentId: string) => ({
    pk: `${orgKey(org)}#INC#${incidentId}`,
    sk: `ATT#${attachmentId}`,
  }),
  task: (org: string, incidentId: string, taskId: string) => ({ pk: `${orgKey(org)}#INC#${incidentId}`, sk: `TASK#${taskId}` }),
  taskPrefix: 'TASK#',
  once: (partition: string, actionKey: string) => ({ pk: partition, sk: `ONCE#${actionKey}` }),
  delivery: (partition: string, deliveryKey: string) => ({ pk: partition, sk: `DELIVERY#${deliveryKey}` }),
  workflow: (org: string, workflowId: string) => ({ pk: orgKey(org), sk: `WF#${workflowId}` }),
  workflowPrefix: 'WF#',
  workflowVersion: (org: string, workflowId: string, n: number) => ({ pk: `${orgKey(org)}#WF#${workflowId}`, sk: `V#${pad(n, 6)}` }),
  notification: (org: string, incidentId: string, notificationId: string) => ({
    pk: `${orgKey(org)}#INC#${incidentId}`,
    sk: `NTF#${notificationId}`,
  }),
  notificationPrefix: 'NTF#',
  notificationPointer: (org: string, notificationId: string) => ({ pk: orgKey(org), sk: `NTFPTR#${notificationId}` }),
  idempotency: (org: string, keyHash: string) => ({ pk: `${orgKey(org)}#IDEMP#${keyHash}`, sk: 'IDEMP' }),
  idempotentCreation: (org: string, keyHash: string) => ({ pk: `${orgKey(org)}#IDEMP#${keyHash}`, sk: 'CREATED' }),
  signalPartition: (org: string, signalId: string) => `${orgKey(org)}#SIG#${signalId}`,
  signal: (org: string, signalId: string) => ({ pk: `${orgKey(org)}#SIG#${signalId}`, sk: 'SIGNAL' }),
  signalListing: (org: string, receivedAt: string, signalId: string, fingerprintHash: string) => ({
    gsi1pk: `${orgKey(org)}#SIGNALS`,
    gsi1sk: `${receivedAt}#${signalId}`,
    gsi2pk: `${orgKey(org)}#SIGFP#${fingerprintHash}`,
    gsi2sk: `${receivedAt}#${signalId}`,
  }),
  signalsIndex: (org: string) => ({ index: 'gsi1' as const, pk: `${orgKey(org)}#SIGNALS` }),
  signalsByFingerprintIndex: (org: string, fingerprintHash: string) => ({
    index: 'gsi2' as const,
    pk: `${orgKey(org)}#SIGFP#${fingerprintHash}`,
  }),
  webhookDelivery: (org: string, source: string, deliveryHash: string) => ({
    pk: `${orgKey(org)}#HOOK#${source}#${deliveryHash}`,
    sk: 'HOOKDELIVERY',
  }),
  fingerprintGuard: (org: string, fingerprintHash: string) => ({ pk: `${orgKey(org)}#SIGFP#${fingerprintHash}`, sk: 'GUARD' }),
  signalRules: (org: string) => ({ pk: orgKey(org), sk: 'SIGNALRULES' }),
  signalRulesPartition: (org: string) => `${orgKey(org)}#SIGNALRULES`,
  webhookSecretPartition: (org: string, source: string) => `${orgKey(org)}#WEBHOOK#${source}`,
  webhookSecret: (org: string, source: string) => ({ pk: `${orgKey(org)}#WEBHOOK#${source}`, sk: 'SECRET' }),
  submissionKey: (org: string, formId: string, keyId: string) => ({ pk: `${orgKey(org)}#FORM#${formId}`, sk: `SUBKEY#${keyId}` }),
  submissionKeyPrefix: 'SUBKEY#',
  submissionKeyPartition: (org: string, keyId: string) => `${orgKey(org)}#SUBKEY#${keyId}`,
  rateCounter: (org: string, scope: string, subjectHash: string, windowStart: number) => ({
    pk: `${orgKey(org)}#RATE#${scope}#${subjectHash}#${windowStart}`,
    sk: 'RATE',
  }),
  inboxPartition: (org: string, audienceKey: string) => `${orgKey(org)}#INBOX#${audienceKey}`,
  inboxMessage: (org: string, audienceKey: string, createdAt: string, messageId: string) => ({
    pk: `${orgKey(org)}#INBOX#${audienceKey}`,
    sk: `MSG#${createdAt}#${messageId}`,
  }),
  inboxMessagePrefix: 'MSG#',
  inboxGuard: (org: string, messageId: string) => ({ pk: `${orgKey(org)}#INBOXMSG#${messageId}`, sk: 'MSG' }),
  inboxReadsPartition: (org: string, subject: string) => `${orgKey(org)}#INBOXREAD#${subject}`,
  inboxRead: (org: string, subject: string, messageId: string) => ({ pk: `${orgKey(org)}#INBOXREAD#${subject}`, sk: `READ#${messageId}` }),
  inboxWatermark: (org: string, subject: string) => ({ pk: `${orgKey(org)}#INBOXREAD#${subject}`, sk: 'WATERMARK' }),
  webhookSubscription: (org: string, subscriptionId: string) => ({ pk: orgKey(org), sk: `WHSUB#${subscriptionId}` }),
  webhookSubscriptionPrefix: 'WHSUB#',
  webhookSubscriptionPartition: (org: string, subscriptionId: string) => `${orgKey(org)}#WHSUB#${subscriptionId}`,
  webhookDeliveryLog: (org: string, subscriptionId: string, deliveryId: string) => ({
    pk: `${orgKey(org)}#WHSUB#${subscriptionId}`,
    sk: `DLV#${deliveryId}`,
  }),
  webhookDeliveryLogPrefix: 'DLV#',
  outbox: (partition: string, eventId: string, createdAt: string) => ({
    pk: partition,
    sk: `OUTBOX#${eventId}`,
    gsi1pk: `OUTBOX#${outboxShardOf(eventId)}`,
    gsi1sk: `${createdAt}#${eventId}`,
  }),
  /** Every shard the relay reads, plus the unsharded key of events stored before the outbox was sharded. */
  outboxIndexes: [...Array.from({ length: OUTBOX_SHARDS }, (_, shard) => `OUTBOX#${shard}`), 'OUTBOX'].map((pk) => ({
    index: 'gsi1' as const,
    pk,
  })),
} as const;

/** Opaque pagination cursors: the LastEvaluatedKey, base64url-encoded. */
export const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;

export function decodeCursor(
  cursor: string | undefined,
  expectedPartition: string,
  partitionAttribute = 'pk',
): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: Record<string, unknown> | undefined;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    key = undefined;
  }
  // A cursor from another listing (or another organisation) is refused, never followed.
  if (!key || key[partitionAttribute] !== expectedPartition)
    throw new InvalidError('Invalid cursor', [{ path: 'query.cursor', message: 'not a cursor of this listing' }]);
  return key;
}
