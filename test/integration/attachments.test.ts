import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventRecorder } from '../support/event-recorder';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

// Against the real local S3 endpoint (s3rver) started by the global setup; uploads use the URL the AWS SDK presigned.
type Json = Record<string, any>;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('evidence vault', () => {
  let api: TestApi;
  let recorder: Awaited<ReturnType<typeof startEventRecorder>>;
  let token: string;
  let incidentId: string;
  let now = new Date();
  const org = uniqueOrg('evd');

  beforeAll(async () => {
    recorder = await startEventRecorder();
    api = await startTestApi({ config: { INNGEST_BASE_URL: recorder.url }, clock: { now: () => now } });
    token = await api.token(org);
    incidentId = await newIncident();
  });
  const newIncident = async () => {
    const created = await api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        responses: {
          description: 'Laptop stolen from a car.',
          date_discovered: '2026-11-30T09:00:00Z',
          data_categories: ['Personal'],
          breach_type: 'type_lost_device',
          jurisdictions: ['DE'],
        },
      },
    });
    expect(created.status).toBe(201);
    return ((await created.json()) as Json).id as string;
  };
  afterAll(async () => {
    await api.stop();
    await recorder.stop();
  });

  const base = () => `/v1/breach-incidents/${incidentId}/attachments`;
  const declare = async (bytes: Buffer, overrides: Json = {}) => {
    const response = await api.call('POST', base(), {
      token,
      body: { name: 'firewall-log.txt', contentType: 'text/plain', size: bytes.length, sha256: sha256(bytes), ...overrides },
    });
    return { response, body: (await response.json()) as Json };
  };
  const upload = (presigned: Json, bytes: Buffer) =>
    fetch(presigned.url, { method: presigned.method, headers: presigned.headers, body: new Uint8Array(bytes) });
  const complete = (attachmentId: string) => api.call('POST', `${base()}/${attachmentId}/complete`, { token });
  const audit = async () =>
    ((await (await api.call('GET', `/v1/breach-incidents/${incidentId}/audit`, { token })).json()) as Json).items as Json[];

  it('verifies an upload against its declared SHA-256 and puts the hash, name, type, size and uploader on the audit chain', async () => {
    const bytes = Buffer.from('2026-11-30T08:59:01Z DENY tcp 10.0.0.4 -> 203.0.113.9:443\n'.repeat(50));
    const { response, body } = await declare(bytes);
    expect(response.status).toBe(201);
    expect(body.attachment).toMatchObject({ status: 'pending', size: bytes.length, sha256: sha256(bytes) });
    expect(body.attachment.objectKey).toBeUndefined();
    expect(body.upload.headers).toMatchObject({ 'content-type': 'text/plain', 'content-length': String(bytes.length) });
    expect((await upload(body.upload, bytes)).status).toBe(200);

    const done = await complete(body.attachment.id);
    expect(done.status).toBe(200);
    const verified = (await done.json()) as Json;
    expect(verified).toMatchObject({ status: 'available', sha256: sha256(bytes), uploadedBy: expect.any(String) });
    expect(verified.stored.etag).toBeTruthy();

    const added = (await audit()).find((e) => e.action === 'attachment.added');
    expect(added?.details).toMatchObject({
      attachmentId: body.attachment.id,
      name: 'firewall-log.txt',
      contentType: 'text/plain',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    const check = (await (await api.call('GET', `/v1/breach-incidents/${incidentId}/audit/verify`, { token })).json()) as Json;
    expect(check.valid).toBe(true);

    // Completing again is harmless; the incident shows the attachment.
    expect((await complete(body.attachment.id)).status).toBe(200);
    const incident = (await (await api.call('GET', `/v1/breach-incidents/${incidentId}`, { token })).json()) as Json;
    expect(incident.attachments.find((a: Json) => a.id === body.attachment.id)).toMatchObject({
      status: 'available',
      sha256: sha256(bytes),
    });
  });

  it('refuses tampered content: 422 naming sha256, the object removed, the refusal audited and nothing kept as evidence', async () => {
    const declared = Buffer.from('the original evidence file');
    const tampered = Buffer.from('the tampered evidence file');
    expect(tampered.length).toBe(declared.length);
    const { body } = await declare(declared);
    expect((await upload(body.upload, tampered)).status).toBe(200);

    const refused = await complete(body.attachment.id);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as Json;
    expect(problem.errors[0].path).toBe('sha256');
    expect(problem.errors[0].message).toContain(sha256(tampered));

    const after = (await (await api.call('GET', `${base()}/${body.attachment.id}`, { token })).json()) as Json;
    expect(after).toMatchObject({ status: 'rejected', rejection: { field: 'sha256' } });
    expect(await api.deps.evidence.describe(`evidence/${org}/${incidentId}/${body.attachment.id}`)).toBeNull();
    expect((await audit()).some((e) => e.action === 'attachment.rejected' && e.details.attachmentId === body.attachment.id)).toBe(true);
    expect((await api.call('POST', `${base()}/${body.attachment.id}/download`, { token })).status).toBe(409);
  });

  it('refuses a file of another size than declared', async () => {
    const { body } = await declare(Buffer.from('twelve bytes'));
    await upload({ ...body.upload, headers: { ...body.upload.headers, 'content-length': '14' } }, Buffer.from('fourteen bytes'));
    const refused = await complete(body.attachment.id);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Json).errors[0].path).toBe('size');
  });

  it('answers bad declarations with 400 naming the field: unknown type, over the size limit, malformed hash, unknown key', async () => {
    const bytes = Buffer.from('x');
    const unknownType = await declare(bytes, { contentType: 'application/x-msdownload' });
    expect(unknownType.response.status).toBe(400);
    expect(JSON.stringify(unknownType.body.errors)).toContain('contentType');

    const settings = await api.call('PUT', '/v1/settings', { token, body: { evidence: { maxUploadBytes: 2048 } } });
    expect(settings.status).toBe(200);
    const tooLarge = await declare(Buffer.alloc(4096, 1));
    expect(tooLarge.response.status).toBe(400);
    expect(tooLarge.body.errors).toEqual([expect.objectContaining({ path: 'body.size' })]);

    const badHash = await declare(bytes, { sha256: 'abc' });
    expect(badHash.response.status).toBe(400);
    expect(JSON.stringify(badHash.body.errors)).toContain('sha256');

    const unknownKey = await declare(bytes, { checksum: 'x' });
    expect(unknownKey.response.status).toBe(400);
    expect(JSON.stringify(unknownKey.body.errors)).toContain('checksum');

    expect(
      (
        await api.call('POST', `/v1/breach-incidents/inc_nope/attachments`, {
          token,
          body: { name: 'a.txt', contentType: 'text/plain', size: 1, sha256: sha256(bytes) },
        })
      ).status,
    ).toBe(404);
  });

  it('answers a completion without an upload with 409, and after the upload URL expired says so', async () => {
    const { body } = await declare(Buffer.from('never uploaded'));
    const early = await complete(body.attachment.id);
    expect(early.status).toBe(409);
    expect(((await early.json()) as Json).reason).toBe('not-uploaded');
    now = new Date(now.getTime() + 6 * 60_000);
    const late = await complete(body.attachment.id);
    expect(late.status).toBe(409);
    expect(((await late.json()) as Json).reason).toBe('upload-expired');
    expect(((await (await api.call('GET', `${base()}/${body.attachment.id}`, { token })).json()) as Json).status).toBe('pending');
  });

  it('serves a verified file through an audited presigned GET, and keeps a withdrawn one (withdrawal audited)', async () => {
    const bytes = Buffer.from('%PDF-1.4 evidence');
    const { body } = await declare(bytes, { name: 'report.pdf', contentType: 'application/pdf' });
    await upload(body.upload, bytes);
    expect((await complete(body.attachment.id)).status).toBe(200);

    const download = await api.call('POST', `${base()}/${body.attachment.id}/download`, { token });
    expect(download.status).toBe(200);
    const presigned = (await download.json()) as Json;
    expect(presigned.url).toContain('if-match');
    const fetched = await fetch(presigned.url, { headers: presigned.headers });
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await audit()).some((e) => e.action === 'attachment.downloaded' && e.details.attachmentId === body.attachment.id)).toBe(true);

    // Never silently replaced: a second PUT to the upload URL is refused (If-None-Match: * is signed into it) ...
    expect((await upload(body.upload, Buffer.from('%PDF-1.4 forgery!'))).status).toBe(412);
    // ... and an object replaced behind the API's back is not served: the download is pinned to the verified ETag.
    const key = `evidence/${org}/${incidentId}/${body.attachment.id}`;
    const overwrite = await api.deps.evidence.presignUpload({ key, contentType: 'application/pdf', size: 17, expiresInSeconds: 60 });
    const { 'if-none-match': _condition, ...unconditional } = overwrite.headers;
    expect(
      (
        await fetch(overwrite.url.replace(/if-none-match%3B?/, ''), {
          method: 'PUT',
          headers: unconditional,
          body: new Uint8Array(Buffer.from('%PDF-1.4 forgery!')),
        })
      ).status,
    ).toBe(200);
    const again = (await (await api.call('POST', `${base()}/${body.attachment.id}/download`, { token })).json()) as Json;
    expect((await fetch(again.url, { headers: again.headers })).status).toBe(412);

    const reader = await api.token(org, { roles: ['responder'] });
    expect(
      (await api.call('POST', `${base()}/${body.attachment.id}/withdraw`, { token: reader, body: { reason: 'wrong incident' } })).status,
    ).toBe(403);
    const noReason = await api.call('POST', `${base()}/${body.attachment.id}/withdraw`, { token, body: {} });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as Json).errors[0].path).toBe('body.reason');
    const withdrawn = await api.call('POST', `${base()}/${body.attachment.id}/withdraw`, {
      token,
      body: { reason: 'filed on the wrong incident' },
    });
    expect(withdrawn.status).toBe(200);
    expect((await withdrawn.json()) as Json).toMatchObject({
      status: 'withdrawn',
      withdrawal: { reason: 'filed on the wrong incident', legalHold: true },
    });
    expect((await audit()).find((e) => e.action === 'attachment.withdrawn')?.details).toMatchObject({
      attachmentId: body.attachment.id,
      sha256: sha256(bytes),
    });
    expect(await api.deps.evidence.describe(`evidence/${org}/${incidentId}/${body.attachment.id}`)).not.toBeNull();
    expect((await api.call('POST', `${base()}/${body.attachment.id}/withdraw`, { token, body: { reason: 'again' } })).status).toBe(409);
  });

  it('puts the evidence in the regulator pack: hashes always, the files on request, checked offline against the audit chain', async () => {
    // The incident above holds a file replaced behind the API's back: its pack refuses to carry it.
    const refused = await api.call('GET', `/v1/breach-incidents/${incidentId}/pack?files=true`, { token });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).detail).toContain('no longer matches its recorded SHA-256');

    incidentId = await newIncident();
    const bytes = Buffer.from('phishing-email.eml: From: ceo@examp1e.com');
    const { body } = await declare(bytes, { name: 'phishing.eml', contentType: 'message/rfc822' });
    expect((await upload(body.upload, bytes)).status).toBe(200);
    const completed = await complete(body.attachment.id);
    expect(completed.status, await completed.clone().text()).toBe(200);

    const dir = mkdtempSync(join(tmpdir(), 'evidence-pack-'));
    const verify = (zip: Buffer) => {
      writeFileSync(join(dir, 'pack.zip'), zip);
      return spawnSync(process.execPath, ['scripts/verify-pack.mjs', join(dir, 'pack.zip')], { encoding: 'utf8' });
    };
    const plain = Buffer.from(await (await api.call('GET', `/v1/breach-incidents/${incidentId}/pack`, { token })).arrayBuffer());
    expect(plain.includes(sha256(bytes))).toBe(true);
    expect(plain.includes(bytes)).toBe(false);
    expect(verify(plain).status).toBe(0);

    const response = await api.call('GET', `/v1/breach-incidents/${incidentId}/pack?files=true`, { token });
    expect(response.status).toBe(200);
    const full = Buffer.from(await response.arrayBuffer());
    expect(full.includes(bytes)).toBe(true);
    const good = verify(full);
    expect(good.stderr).toBe('');
    expect(good.stdout).toMatch(/\d+ attachments listed, [1-9]\d* included and matching their recorded hashes/);

    const tampered = Buffer.from(full);
    tampered.write('X', full.indexOf(bytes));
    const bad = verify(tampered);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('NOT VERIFIED');
    expect((await api.call('GET', `/v1/breach-incidents/${incidentId}/pack?files=maybe`, { token })).status).toBe(400);
  });
});
