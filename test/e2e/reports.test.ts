import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullStack, type FullStack } from '../support/full-stack';
import { uniqueOrg } from '../support/test-app';

type Json = Record<string, any>;
const HOUR = 3_600_000;

describe('the breach register (Art. 33(5)) and response metrics, from the records', () => {
  let stack: FullStack;
  let token: string;
  const org = uniqueOrg('reports');
  const ids: Record<'filed' | 'decided' | 'open', string> = { filed: '', decided: '', open: '' };
  let startedAt: string;

  const submit = async (description: string, jurisdiction: string) => {
    const response = await stack.api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        discoveredAt: stack.clock.now().toISOString(),
        responses: {
          description,
          estimated_affected: 1200,
          data_categories: ['Contact details', 'Financial'],
          breach_type: 'type_data_theft',
          jurisdictions: [jurisdiction],
          data_encrypted: 'Not encrypted',
          exfiltration: 'Confirmed',
        },
      },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as Json).id as string;
  };
  const authorityOf = async (id: string) =>
    ((await (await stack.api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json).obligations.find(
      (o: Json) => o.recipient === 'supervisory-authority',
    );

  beforeAll(async () => {
    stack = await startFullStack();
    token = await stack.api.token(org);
    startedAt = stack.clock.now().toISOString();
    ids.filed = await submit('=HYPERLINK("x"), exfiltrated invoices, "urgent"', 'FR');
    ids.decided = await submit('Misdirected spreadsheet, recipient deleted it', 'DE');
    ids.open = await submit('Stolen backup tape', 'IE');
    await stack.idle();

    await stack.advance(30 * HOUR);
    const filed = await authorityOf(ids.filed);
    expect(
      (
        await stack.api.call('POST', `/v1/breach-incidents/${ids.filed}/obligations/${encodeURIComponent(filed.id)}/filings`, {
          token,
          body: { phase: 'initial', reference: 'CNIL-77' },
        })
      ).status,
    ).toBe(201);
    const decided = await authorityOf(ids.decided);
    const decision = {
      decision: 'not-notifying',
      rationale: 'Trusted recipient confirmed deletion; no risk remains.',
      approvedBy: 'Jane Doe, DPO',
    };
    expect(
      (
        await stack.api.call('POST', `/v1/breach-incidents/${ids.decided}/obligations/${encodeURIComponent(decided.id)}/decision`, {
          token,
          body: decision,
        })
      ).status,
    ).toBe(200);
    const task = ((await (await stack.api.call('GET', `/v1/breach-incidents/${ids.filed}`, { token })).json()) as Json).tasks.find(
      (t: Json) => t.stage === 'TRIAGE',
    );
    expect(
      (
        await stack.api.call('POST', `/v1/breach-incidents/${ids.filed}/tasks/${task.id}/complete`, {
          token,
          body: { note: 'Scope confirmed: invoices of 1,200 customers.' },
        })
      ).status,
    ).toBe(200);
    await stack.advance(50 * HOUR);
  }, 120_000);
  afterAll(() => stack.stop());

  it('exports every incident of the range as JSON with facts, effects, remedial action, filings and decisions', async () => {
    const response = await stack.api.call('GET', `/v1/breach-register?from=${encodeURIComponent(startedAt)}`, { token });
    expect(response.status).toBe(200);
    const register = (await response.json()) as Json;
    // Oldest first; these three were reported in the same virtual millisecond.
    expect(register.items.map((e: Json) => e.incidentId).sort()).toEqual([ids.filed, ids.decided, ids.open].sort());
    const entryOf = (id: string): Json => register.items.find((e: Json) => e.incidentId === id);
    const [filed, decided, open] = [entryOf(ids.filed), entryOf(ids.decided), entryOf(ids.open)];
    expect(filed.facts).toMatchObject({ affectedCount: 1200, dataCategories: ['Contact details', 'Financial'], jurisdictions: ['FR'] });
    expect(filed.effects.riskLevel).toBeTruthy();
    expect(filed.remedialActions).toEqual([
      expect.objectContaining({ status: 'completed', note: 'Scope confirmed: invoices of 1,200 customers.' }),
    ]);
    expect(filed.obligations.find((o: Json) => o.recipient.length && o.filings.length)).toMatchObject({
      status: 'filed',
      filings: [{ phase: 'initial', late: false, reference: 'CNIL-77' }],
    });
    expect(decided.obligations.find((o: Json) => o.decisionNotToNotify)).toMatchObject({
      status: 'not-notifying',
      decisionNotToNotify: { approvedBy: 'Jane Doe, DPO' },
    });
    expect(open.obligations.some((o: Json) => o.status === 'open' && o.filings.length === 0)).toBe(true);

    const later = (await (
      await stack.api.call('GET', `/v1/breach-register?from=${encodeURIComponent(stack.clock.now().toISOString())}`, { token })
    ).json()) as Json;
    expect(later.items).toEqual([]);
  });

  it('exports CSV, one row per obligation, with quoting that keeps a cell from running as a formula', async () => {
    const response = await stack.api.call('GET', `/v1/breach-register?format=csv&from=${encodeURIComponent(startedAt)}`, { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const text = await response.text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('incident_id,reported_at,discovered_at')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""x""), exfiltrated invoices, ""urgent"""`);
    const register = (await (
      await stack.api.call('GET', `/v1/breach-register?from=${encodeURIComponent(startedAt)}`, { token })
    ).json()) as Json;
    const obligations = register.items.reduce((n: number, e: Json) => n + Math.max(1, e.obligations.length), 0);
    expect(lines).toHaveLength(1 + obligations);
  });

  it('computes response metrics per regime and recipient from the records', async () => {
    const response = await stack.api.call('GET', `/v1/metrics/response?from=${encodeURIComponent(startedAt)}`, { token });
    expect(response.status).toBe(200);
    const metrics = (await response.json()) as Json;
    expect(metrics.incidents).toBe(3);
    expect(metrics.reportToTriage.count).toBe(3);
    const authority = metrics.duties.find((d: Json) => d.regimeId === 'eu-gdpr' && d.recipient === 'supervisory-authority');
    expect(authority).toMatchObject({ metOnTime: 1, late: 0, decidedNotToNotify: 1, open: 1, openOverdue: 1 });
    expect(authority.awarenessToFiling).toEqual({ count: 1, medianMs: 30 * HOUR, p90Ms: 30 * HOUR });
  });

  it('packs an incident for a regulator; the documented script verifies it offline and catches a changed byte', async () => {
    const response = await stack.api.call('GET', `/v1/breach-incidents/${ids.filed}/pack`, { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const zip = Buffer.from(await response.arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'pack-'));
    const verify = (bytes: Buffer) => {
      writeFileSync(join(dir, 'pack.zip'), bytes);
      return spawnSync(process.execPath, ['scripts/verify-pack.mjs', join(dir, 'pack.zip')], { encoding: 'utf8' });
    };
    const good = verify(zip);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`VERIFIED`);
    expect(good.stdout).toContain(ids.filed);

    const at = zip.indexOf('CNIL-77');
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(zip);
    tampered.write('CNIL-78', at);
    const bad = verify(tampered);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('does not match its SHA-256');
  });

  it('refuses a range that runs backwards, naming the field, and needs its permission', async () => {
    const backwards = await stack.api.call('GET', '/v1/metrics/response?from=2030-02-01T00:00:00Z&to=2030-01-01T00:00:00Z', { token });
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as Json).errors[0].path).toBe('query.to');
    const responder = await stack.api.token(org, { roles: ['responder'] });
    expect((await stack.api.call('GET', '/v1/breach-register', { token: responder })).status).toBe(403);
  });
});
