import { z } from 'zod';
import { Recipient } from '../regulations/schema';

export const NoticeTemplate = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  /** Regimes the template is written for; `*` means any. */
  regimeIds: z.array(z.string()).min(1),
  recipient: Recipient,
  locale: z.string().default('en'),
  /** Mustache (logic-less): `{{fact}}`, `{{#list}}…{{/list}}`, `{{^optional}}fallback{{/optional}}`. */
  subject: z.string().min(1),
  body: z.string().min(1),
});
export type NoticeTemplate = z.infer<typeof NoticeTemplate>;
export type NoticeTemplateInput = z.input<typeof NoticeTemplate>;

/** Facts are free-form JSON: templates decide which they need, and missing ones are reported. */
export const NoticeFacts = z.record(z.string(), z.unknown());
export type NoticeFacts = z.infer<typeof NoticeFacts>;

export const RenderRequest = z.object({
  templateId: z.string().optional(),
  template: NoticeTemplate.optional(),
  facts: NoticeFacts,
});

export const RenderedNotice = z.object({
  templateId: z.string(),
  subject: z.string(),
  body: z.string(),
  /** Placeholders with no value; each appears in the text as `[missing: name]`, never as a silent blank. */
  missing: z.array(z.string()),
  complete: z.boolean(),
});
export type RenderedNotice = z.infer<typeof RenderedNotice>;
