import { describe, expect, it } from 'vitest';
import { signSentryBody, signStandardWebhook, verifySentrySignature, verifyStandardWebhook } from '../../../functions/webhooks/signatures';

describe('webhook signatures', () => {
  // The Standard Webhooks reference test vector.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = Buffer.from('{"test": 2432232314}');
  const at = new Date(timestamp * 1000);

  it('matches the Standard Webhooks reference signature', () => {
    expect(signStandardWebhook(secret, id, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('accepts any matching v1 signature and refuses tampering, staleness and missing headers', () => {
    const signature = signStandardWebhook(secret, id, timestamp, body);
    expect(
      verifyStandardWebhook({ id, timestamp: String(timestamp), signature: `v1,bm9wZQ== ${signature}` }, body, [secret], at),
    ).toBeUndefined();
    expect(verifyStandardWebhook({ id, timestamp: String(timestamp), signature }, Buffer.from('{"test": 1}'), [secret], at)).toBe(
      'bad-signature',
    );
    expect(verifyStandardWebhook({ id: 'msg_other', timestamp: String(timestamp), signature }, body, [secret], at)).toBe('bad-signature');
    expect(verifyStandardWebhook({ id, timestamp: String(timestamp), signature }, body, [secret], new Date(at.getTime() + 301_000))).toBe(
      'stale',
    );
    expect(verifyStandardWebhook({ id, timestamp: String(timestamp), signature }, body, [secret], new Date(at.getTime() - 301_000))).toBe(
      'stale',
    );
    expect(verifyStandardWebhook({ id, timestamp: 'yesterday', signature }, body, [secret], at)).toBe('bad-timestamp');
    expect(verifyStandardWebhook({ id, timestamp: String(timestamp) }, body, [secret], at)).toBe('missing-headers');
  });

  it('verifies a Sentry hex HMAC of the raw body against any valid secret', () => {
    const raw = Buffer.from('{"action":"created"}');
    const signature = signSentryBody(raw, 'client-secret-b');
    expect(verifySentrySignature(raw, signature, ['client-secret-a', 'client-secret-b'])).toBe(true);
    expect(verifySentrySignature(raw, signature.toUpperCase(), ['client-secret-b'])).toBe(true);
    expect(verifySentrySignature(Buffer.from('{"action":"created" }'), signature, ['client-secret-b'])).toBe(false);
    expect(verifySentrySignature(raw, signature, ['client-secret-a'])).toBe(false);
    expect(verifySentrySignature(raw, signature.slice(0, 10), ['client-secret-b'])).toBe(false);
    expect(verifySentrySignature(raw, undefined, ['client-secret-b'])).toBe(false);
  });
});
