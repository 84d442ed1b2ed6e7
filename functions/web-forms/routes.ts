import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { orgIdSchema } from '../../domain/auth/principal';
import type { BreachType } from '../../domain/breach-types/schema';
import type { FormVersion } from '../../domain/intake-forms/schema';
import { ConflictError, InvalidError, NotFoundError } from '../../domain/shared/errors';
import { issueCsrfToken, verifyCsrfToken } from '../../domain/web-forms/csrf-token';
import { META, responsesFromFormValues, type FormValues } from '../../domain/web-forms/form-values';
import { decideRate, rateWindow, WEB_FORM_RATE_RULES } from '../../domain/web-forms/rate-limit';
import { parseSubmissionKey, submissionKeyMatches } from '../../domain/web-forms/submission-keys';
import type { StoredForm } from '../../domain/intake-forms/schema';
import type { StoredSubmissionKey } from '../../domain/web-forms/submission-keys';
import type { AppDeps } from '../api/app-deps';
import type { AppEnv } from '../api/app-env';
import { createIncidentService } from '../services/incident-service';
import { webFormPath } from './embed';
import { renderFormPage } from './form-page';
import { pageHeaders } from './html';
import { renderNoticePage } from './notice-page';
import { renderReceiptPage } from './receipt-page';
import { clientAddressHash, sameOriginPost, serverOrigin, webFormSecureHeaders } from './request-guards';

/** Any site may frame the page: it is meant for intranet portals, and it holds no ambient credentials. */
const FRAME_ANCESTORS = '*';

type Refusal = {
  status: 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429;
  title: string;
  message: string;
  link?: { href: string; text: string };
  retryAfter?: number;
};
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.title);
  }
}

const newNonce = () => randomBytes(16).toString('base64url');

/**
 * The public reporting page, `GET /forms/{orgId}/{formId}?key=…`, and its submission endpoint. Outside /v1:
 * no bearer token; the form's public submission key, a signed page token, an Origin check, rate limits and
 * a honeypot stand in for it. The published version is read on every request, so a new one is served at once.
 */
export function registerWebFormRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const incidents = createIncidentService(deps);
  const { forms, breachTypes, submissionKeys, rateLimits } = deps.repos;

  app.use('/forms/*', webFormSecureHeaders);
  app.use(
    '/forms/*',
    bodyLimit({
      maxSize: deps.config.MAX_BODY_BYTES,
      onError: (c) =>
        sendNotice(c, {
          status: 413,
          title: 'Report too large',
          message: 'The report is larger than this server accepts. Shorten the longest answers and try again.',
        }),
    }),
  );

  function sendHtml(c: Context, nonce: string, html: string, status: number, extra: Record<string, string> = {}) {
    return c.body(html, status as 200, { ...pageHeaders(nonce, FRAME_ANCESTORS), ...extra });
  }
  function sendNotice(c: Context, refusal: Refusal) {
    const nonce = newNonce();
    return sendHtml(
      c,
      nonce,
      renderNoticePage({ nonce, ...refusal }),
      refusal.status,
      refusal.retryAfter ? { 'Retry-After': String(refusal.retryAfter) } : {},
    );
  }

  /** The form and its published version, or the notice saying why there is none. */
  async function publishedForm(org: string, formId: string): Promise<{ form: StoredForm; version: FormVersion }> {
    if (!orgIdSchema.safeParse(org).success) throw new Refused(notFound);
    const form = await forms.get(org, formId).catch((error) => {
      if (error instanceof NotFoundError) throw new Refused(notFound);
      throw error;
    });
    if (form.publishedVersion === null) {
      const archived = (await forms.listVersions(org, form.id)).some((v) => v.status === 'ARCHIVED');
      throw new Refused(
        archived
          ? {
              status: 410,
              title: 'This form has been archived',
              message: `“${form.name}” no longer accepts reports. Contact your privacy or security team to report an incident.`,
            }
          : {
              status: 404,
              title: 'This form is not open yet',
              message: `“${form.name}” has not been published, so it cannot take reports yet. Contact your privacy or security team to report an incident.`,
            },
      );
    }
    return { form, version: await forms.getVersion(org, form.id, form.publishedVersion) };
  }

  async function verifiedKey(org: string, formId: string, raw: string | undefined): Promise<StoredSubmissionKey> {
    const parsed = parseSubmissionKey(raw);
    const record = parsed ? await submissionKeys.find(org, formId, parsed.keyId) : undefined;
    if (!parsed || !record || !submissionKeyMatches(record, parsed.key)) {
      throw new Refused({
        status: 403,
        title: 'This link is not valid',
        message:
          'The link to this form is missing its key, or the key was replaced or withdrawn. Ask whoever shared the form for the current link.',
      });
    }
    return record;
  }

  async function enforceRateLimits(c: Context, org: string, formId: string, key: StoredSubmissionKey) {
    const now = deps.clock.now();
    for (const rule of WEB_FORM_RATE_RULES) {
      const subject = rule.scope === 'ip' ? `${formId}.${clientAddressHash(c)}` : key.id;
      const window = rateWindow(rule, now);
      const count = await rateLimits.hit(org, rule.scope, subject, window.start, window.expiresAt);
      const verdict = decideRate(count, rule, now);
      if (!verdict.allowed) {
        c.var.log.warn('web form rate limit reached', { formId, scope: rule.scope, keyId: key.id });
        throw new Refused({
          status: 429,
          title: 'Too many reports',
          message: `Too many reports were sent from here in a short time. Wait ${Math.ceil(verdict.retryAfterSeconds / 60)} minute(s) and send it again; nothing you typed was recorded.`,
          retryAfter: verdict.retryAfterSeconds,
        });
      }
    }
  }

  function renderPage(
    org: string,
    form: StoredForm,
    version: FormVersion,
    types: BreachType[],
    key: StoredSubmissionKey,
    rawKey: string,
    extra: { values?: FormValues; errors?: Record<string, string> } = {},
  ) {
    const nonce = newNonce();
    const csrfToken = issueCsrfToken(
      key.csrfSecret,
      { orgId: org, formId: form.id, keyId: key.id },
      deps.clock.now(),
      randomBytes(12).toString('base64url'),
    );
    return {
      nonce,
      html: renderFormPage({
        nonce,
        form,
        version,
        breachTypes: types,
        action: `${webFormPath(org, form.id)}/submissions`,
        submissionKey: rawKey,
        csrfToken,
        ...extra,
      }),
    };
  }
  const typesFor = (org: string, version: FormVersion) =>
    version.fields.some((f) => f.type === 'BREACH_TYPE_SELECT') ? breachTypes.list(org) : Promise.resolve([]);

  app.get('/forms/:orgId/:formId', async (c) => {
    const { orgId: org, formId } = c.req.param();
    try {
      const { form, version } = await publishedForm(org, formId);
      const rawKey = c.req.query('key');
      const key = await verifiedKey(org, form.id, rawKey);
      const page = renderPage(org, form, version, await typesFor(org, version), key, rawKey!);
      return sendHtml(c, page.nonce, page.html, 200);
    } catch (error) {
      if (error instanceof Refused) return sendNotice(c, error.refusal);
      throw error;
    }
  });

  app.post('/forms/:orgId/:formId/submissions', async (c) => {
    const { orgId: org, formId } = c.req.param();
    try {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
        throw new Refused({
          status: 415,
          title: 'Unsupported submission',
          message: 'Reports are sent by the form on this page (application/x-www-form-urlencoded or multipart/form-data).',
        });
      }
      const body = await c.req.parseBody({ all: true });
      const values: FormValues = (name) => {
        const raw = body[name];
        return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
      };
      const { form, version } = await publishedForm(org, formId);
      const rawKey = values(META.key)[0] ?? c.req.query('key');
      const key = await verifiedKey(org, form.id, rawKey);
      const pageHref = `${webFormPath(org, form.id)}?key=${encodeURIComponent(rawKey!)}`;
      if (!sameOriginPost(c, serverOrigin(c, deps.config.PUBLIC_BASE_URL))) {
        throw new Refused({
          status: 403,
          title: 'Report refused',
          message: 'This report was sent from another site. Open the form itself and send it from there.',
          link: { href: pageHref, text: 'Open the form' },
        });
      }
      await enforceRateLimits(c, org, form.id, key);
      const csrf = verifyCsrfToken(key.csrfSecret, { orgId: org, formId: form.id, keyId: key.id }, values(META.csrf)[0], deps.clock.now());
      if (!csrf.ok) {
        throw new Refused({
          status: 403,
          title: 'This page has expired',
          message: 'The form was open too long, or was not sent from its page. Open it again and resend your report; nothing was recorded.',
          link: { href: pageHref, text: 'Open the form again' },
        });
      }
      if (values(META.honeypot).some((v) => v !== '')) {
        c.var.log.warn('web form honeypot filled', { formId: form.id, keyId: key.id });
        throw new Refused({
          status: 422,
          title: 'Report not accepted',
          message: 'This report could not be accepted. If you are a person, open the form again and resend it.',
        });
      }
      const responses = responsesFromFormValues(version.fields, values, values(META.timeZone)[0]);
      try {
        const incident = await incidents.submit(
          org,
          { formId: form.id, responses },
          { type: 'system', id: `web-form:${key.id}` },
          'web-form',
        );
        const nonce = newNonce();
        return sendHtml(
          c,
          nonce,
          renderReceiptPage({ nonce, formName: form.name, incidentId: incident.id, recordedAt: incident.createdAt, againHref: pageHref }),
          201,
        );
      } catch (error) {
        if (error instanceof InvalidError) {
          const errors = fieldErrors(error);
          const latest = await publishedForm(org, formId);
          const page = renderPage(org, latest.form, latest.version, await typesFor(org, latest.version), key, rawKey!, { values, errors });
          return sendHtml(c, page.nonce, page.html, 400);
        }
        if (error instanceof ConflictError)
          throw new Refused({
            status: 409,
            title: 'This form changed',
            message: error.message,
            link: { href: pageHref, text: 'Open the form again' },
          });
        throw error;
      }
    } catch (error) {
      if (error instanceof Refused) return sendNotice(c, error.refusal);
      throw error;
    }
  });
}

const notFound: Refusal = {
  status: 404,
  title: 'Form not found',
  message: 'There is no form at this address. It may have been deleted; ask whoever shared it for the current link.',
};

/** The validator's issues (`body.responses.<key>`) become messages next to each field. */
function fieldErrors(error: InvalidError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const m = /^body\.responses\.([a-z][a-z0-9_]*)/.exec(issue.path);
    const key = m ? m[1]! : '_form';
    const message = issue.message === 'required' ? 'This field is required.' : issue.message.replace(/^expected /, 'Expected ');
    errors[key] ??= message;
  }
  if (Object.keys(errors).length === 0) errors._form = error.message;
  return errors;
}
