import type { Mailer } from '../../domain/notifications/mailer';
import type { SesSettings } from './ses-mailer';

/**
 * The SES mailer with its client imported on first use: most Lambda invocations send no email, so the SES client stays
 * out of the cold start as a chunk of its own (the bundles are built with code splitting).
 */
export function createLazySesMailer(settings: SesSettings): Mailer {
  let loading: Promise<Mailer> | undefined;
  const mailer = () =>
    (loading ??= import('./ses-mailer').then(({ createSesMailer }) => createSesMailer(settings))).catch((err: unknown) => {
      // A failed import is retried on the next use rather than remembered.
      loading = undefined;
      throw err;
    });
  return {
    send: async (email) => (await mailer()).send(email),
    isReachable: async () => (await mailer()).isReachable(),
  };
}
