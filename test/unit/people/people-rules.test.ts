import { describe, expect, it } from 'vitest';
import { checkUpload, markVerified, requestAttachment, withdraw } from '../../../domain/attachments/rules';
import { inboxAudiencesFor, inboxMessageId } from '../../../domain/inbox/rules';
import { recordResponse } from '../../../domain/notifications/responses';
import type { Notification } from '../../../domain/notifications/schema';
import type { Stakeholder } from '../../../domain/org-settings/schema';
import { dueFor, stakeholderNotices } from '../../../domain/stakeholders/rules';

const now = new Date('2030-01-07T09:00:00Z');
const sponsor: Stakeholder = {
  id: 'sponsor',
  role: 'executive-sponsor',
  name: 'Erin',
  email: 'Erin@Org.example',
  sub: 'erin',
  inform: { severityAtLeast: 'high', within: 'escalation-sla' },
};

describe('stakeholder rules', () => {
  it('chooses stakeholders by severity threshold and dates their task by the escalation SLA, an hour at least', () => {
    const context = {
      incidentId: 'inc_1',
      riskLevel: 'risk',
      facts: { breach: { awareAt: now.toISOString() }, obligations: { total: 0 } },
      now,
    };
    expect(
      stakeholderNotices([sponsor], { ...context, severity: 'medium', escalationSla: { unit: 'hours', amount: 24 } as never }).tasks,
    ).toEqual([]);
    const high = stakeholderNotices([sponsor], { ...context, severity: 'high', escalationSla: { unit: 'hours', amount: 4 } as never });
    expect(high.tasks[0]).toMatchObject({ id: 'task_stakeholder_sponsor', dueAt: '2030-01-07T13:00:00.000Z' });
    expect(high.notifications[0]).toMatchObject({
      id: 'ntf_1_sponsor',
      status: 'draft',
      missing: [],
      recipients: [{ email: 'Erin@Org.example' }],
    });
    expect(dueFor(sponsor, { escalationSla: { unit: 'immediate' } as never, now }).toISOString()).toBe('2030-01-07T10:00:00.000Z');
    expect(dueFor({ ...sponsor, inform: { severityAtLeast: 'low', within: { hours: 48 } } }, { now }).toISOString()).toBe(
      '2030-01-09T09:00:00.000Z',
    );
  });
});

describe('inbox addressing', () => {
  const settings = {
    dpoEmail: 'dpo@org.example',
    escalationEmail: 'lead@org.example',
    inbox: { dpo: { type: 'role', id: 'dpo' }, escalation: { type: 'user', id: 'lee' } },
    stakeholders: [sponsor],
  } as const;
  it('maps an address to the inboxes of the people it belongs to, and none for outsiders', () => {
    expect(inboxAudiencesFor(settings as never, 'DPO@org.example')).toEqual([{ type: 'role', id: 'dpo' }]);
    expect(inboxAudiencesFor(settings as never, 'lead@org.example')).toEqual([{ type: 'user', id: 'lee' }]);
    expect(inboxAudiencesFor(settings as never, 'erin@org.example')).toEqual([{ type: 'user', id: 'erin' }]);
    expect(inboxAudiencesFor(settings as never, 'cnil@cnil.example')).toEqual([]);
    expect(
      inboxAudiencesFor(
        { ...settings, escalationEmail: 'dpo@org.example', inbox: { ...settings.inbox, escalation: settings.inbox.dpo } } as never,
        'dpo@org.example',
      ),
    ).toHaveLength(1);
  });
  it('gives one id to one purpose and audience', () => {
    const role = { type: 'role', id: 'dpo' } as const;
    expect(inboxMessageId('o', 'inc', 'triage:dpo', role)).toBe(inboxMessageId('o', 'inc', 'triage:dpo', role));
    expect(inboxMessageId('o', 'inc', 'triage:dpo', role)).not.toBe(inboxMessageId('o', 'inc', 'triage:dpo', { type: 'user', id: 'dpo' }));
  });
});

describe('replies', () => {
  const sent = {
    id: 'ntf_1',
    incidentId: 'inc_1',
    status: 'sent',
    recipients: [{ email: 'a@b.example' }],
    version: 3,
  } as unknown as Notification;
  it('opens a task due when the recipient wants the answer, and refuses a reply to an unsent notice or a due date in the past', () => {
    const { next, task } = recordResponse(
      sent,
      { kind: 'information-request', request: 'More detail', dueAt: '2030-01-10T00:00:00Z' },
      { id: 'rsp_1', by: 'u', now, recipientName: 'CNIL' },
    );
    expect(next.responses).toHaveLength(1);
    expect(next.version).toBe(4);
    expect(task).toMatchObject({ id: 'task_rfi_rsp_1', purpose: 'information-request', dueAt: '2030-01-10T00:00:00.000Z', required: true });
    expect(() =>
      recordResponse({ ...sent, status: 'draft' }, { kind: 'note', text: 'x' }, { id: 'r', by: 'u', now, recipientName: 'x' }),
    ).toThrow(/not been sent/);
    expect(() =>
      recordResponse(
        sent,
        { kind: 'information-request', request: 'x', dueAt: '2029-01-01T00:00:00Z' },
        { id: 'r', by: 'u', now, recipientName: 'x' },
      ),
    ).toThrow(/due before/);
  });
});

describe('attachment rules', () => {
  const pending = requestAttachment(
    { name: 'a.txt', contentType: 'text/plain', size: 3, sha256: 'a'.repeat(64) },
    { id: 'att_1', incidentId: 'inc_1', objectKey: 'k', uploadedBy: 'u', now, maxBytes: 10 },
  );
  it('checks size, then type, then the hash (read only when the rest matches)', async () => {
    let hashed = 0;
    const hash = async () => {
      hashed++;
      return 'a'.repeat(64);
    };
    expect(await checkUpload(pending, { size: 4, etag: 'e' }, hash, now)).toMatchObject({ outcome: 'mismatch', field: 'size' });
    expect(await checkUpload(pending, { size: 3, contentType: 'image/png', etag: 'e' }, hash, now)).toMatchObject({
      outcome: 'mismatch',
      field: 'contentType',
    });
    expect(hashed).toBe(0);
    expect(await checkUpload(pending, { size: 3, contentType: 'text/plain; charset=utf-8', etag: 'e' }, hash, now)).toEqual({
      outcome: 'verified',
    });
    expect(await checkUpload(pending, null, hash, new Date(now.getTime() + 301_000))).toEqual({ outcome: 'missing', expired: true });
    expect(() =>
      requestAttachment(
        { name: 'a', contentType: 'text/plain', size: 11, sha256: 'a'.repeat(64) },
        { id: 'x', incidentId: 'i', objectKey: 'k', uploadedBy: 'u', now, maxBytes: 10 },
      ),
    ).toThrow(/larger/);
  });
  it('moves pending → available → withdrawn and no further', () => {
    const verified = markVerified(pending, { size: 3, etag: 'e' }, now);
    expect(verified).toMatchObject({ status: 'available', stored: { etag: 'e' }, version: 2 });
    const gone = withdraw(verified, 'u', 'wrong incident', true, now);
    expect(gone).toMatchObject({ status: 'withdrawn', withdrawal: { legalHold: true } });
    expect(() => withdraw(gone, 'u', 'again', true, now)).toThrow(/withdrawn/);
    expect(() => markVerified(gone, { size: 3, etag: 'e' }, now)).toThrow();
  });
});
