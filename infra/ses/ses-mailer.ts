import { GetSendQuotaCommand, SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer, OutgoingEmail } from '../../domain/notifications/mailer';

export interface SesSettings {
  region: string;
  endpoint?: string;
  fromAddress: string;
}

export function createSesMailer({ region, endpoint, fromAddress }: SesSettings): Mailer {
  const client = new SESClient({
    region,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
  });
  const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
  return {
    async send(email: OutgoingEmail) {
      const result = await client.send(
        new SendEmailCommand({
          Source: fromAddress,
          Destination: { ToAddresses: email.to },
          ReplyToAddresses: email.replyTo,
          Message: {
            Subject: utf8(email.subject),
            Body: { Text: utf8(email.text), ...(email.html ? { Html: utf8(email.html) } : {}) },
          },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    },
    async isReachable() {
      try {
        // A local endpoint (aws-ses-v2-local) implements only sending, so reachability is an HTTP answer.
        if (endpoint) return (await fetch(endpoint, { signal: AbortSignal.timeout(2000) })).status < 500;
        await client.send(new GetSendQuotaCommand({}));
        return true;
      } catch {
        return false;
      }
    },
  };
}
