import type { Attachment } from '../attachments/schema';
import type { Actor, AuditEntry } from '../audit/chain';
import type { Notification } from '../notifications/schema';
import type { TrackedObligation } from '../obligations/schema';
import type { OutgoingEvent } from '../shared/events';
import type { Task } from '../tasks/schema';
import type { Incident, IncidentAggregate, IncidentAssessment, IncidentComment, Reassessment } from './schema';

/** A child item of an incident's collection; `create` refuses to overwrite one that exists. */
export type IncidentChild =
  | { kind: 'obligation'; value: TrackedObligation }
  | { kind: 'task'; value: Task }
  | { kind: 'notification'; value: Notification }
  | { kind: 'comment'; value: IncidentComment }
  | { kind: 'reassessment'; value: Reassessment }
  | { kind: 'assessment'; value: IncidentAssessment }
  | { kind: 'attachment'; value: Attachment };

export type ChildWrite = IncidentChild & { mode: 'create' | 'replace' };

/** The summary fields a change may set; version, audit head and updatedAt are the store's to maintain. */
export type IncidentUpdate = Partial<Omit<Incident, 'id' | 'version' | 'audit' | 'updatedAt' | 'createdAt' | 'obligationSummary'>>;

/** One audited change of an incident, in domain values: what to set, which children to write, what to announce. */
export interface IncidentChange {
  action: string;
  details?: Record<string, unknown>;
  set?: IncidentUpdate;
  children?: ChildWrite[];
  events?: OutgoingEvent[];
  /** Further steps this one write records, each an audit entry of its own after the change's (one write of the summary for several steps). */
  alsoRecords?: { action: string; details?: Record<string, unknown> }[];
}

export interface ChangeOptions {
  actor: Actor;
  /** Makes a retried workflow step a no-op: the change is applied at most once per key. */
  onceKey?: string;
  /**
   * `decide`: the caller's `decide` returns nothing once the change is applied (it reads the state the change sets), so
   * the version guard alone keeps a single-transaction change once and the marker is written only to resume a change
   * of several chunks. Default `marker`: the marker item is always written.
   */
  onceBy?: 'marker' | 'decide';
  /** The version the caller's If-Match named: the change applies to that version only (a 412 otherwise). */
  expectedVersion?: number;
  /** `summary` reads only the incident item: cheaper, but `decide` then sees no children and may write none that the summary depends on. */
  read?: 'aggregate' | 'summary';
  /**
   * What the caller has just read (at least what `read` would read): the first attempt decides on it instead of reading
   * again; the version guard refuses it if it is stale, and the retry reads afresh.
   */
  current?: IncidentAggregate;
}

export interface ChangeResult {
  applied: boolean;
  aggregate: IncidentAggregate;
}

/**
 * The incident store, as the domain needs it. `recordChange` is the one audited-change path: it reads the
 * incident, lets `decide` choose the change from what is stored now, writes it with its audit entry and events
 * (in as many atomic, resumable chunks as it needs), retries a lost race by deciding again, and sends the events.
 */
export interface IncidentStore {
  create(
    org: string,
    aggregate: IncidentAggregate,
    actor: Actor,
    details: Record<string, unknown>,
    events: OutgoingEvent[],
    options?: { idempotencyKeyHash?: string },
  ): Promise<Incident>;
  get(org: string, id: string): Promise<Incident>;
  getAggregate(org: string, id: string): Promise<IncidentAggregate>;
  listAudit(org: string, id: string): Promise<AuditEntry[]>;
  recordChange(
    org: string,
    id: string,
    decide: (current: IncidentAggregate) => IncidentChange | undefined,
    options: ChangeOptions,
  ): Promise<ChangeResult>;
}
