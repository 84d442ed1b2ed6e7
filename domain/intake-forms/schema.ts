import type { ChainHead } from '../audit/chain';
import { z } from 'zod';

export const fieldTypeSchema = z.enum([
  'TEXT',
  'TEXTAREA',
  'NUMBER',
  'DATE',
  'DATETIME',
  'BOOLEAN',
  'EMAIL',
  'SELECT',
  'MULTI_SELECT',
  'BREACH_TYPE_SELECT',
  'JURISDICTION_SELECT',
]);
export type FieldType = z.infer<typeof fieldTypeSchema>;

/** What a field's answer means to triage; at most one field per meaning in a version. */
export const fieldMeaningSchema = z.enum([
  'occurredAt',
  'discoveredAt',
  'description',
  'affectedCount',
  'dataCategories',
  'breachType',
  'jurisdictions',
  'encryption',
  'exfiltration',
]);
export type FieldMeaning = z.infer<typeof fieldMeaningSchema>;

export const fieldKeyPattern = /^[a-z][a-z0-9_]{0,63}$/;

export const fieldInputSchema = z.object({
  key: z.string().regex(fieldKeyPattern, 'lower-case letters, digits and _, starting with a letter (max 64)').optional(),
  label: z.string().trim().min(1, 'required').max(200),
  type: fieldTypeSchema,
  required: z.boolean().default(false),
  helpText: z.string().max(1000).optional(),
  options: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
  multiple: z.boolean().optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  integer: z.boolean().optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(1).max(100_000).optional(),
  mapsTo: fieldMeaningSchema.optional(),
});
export type FieldInput = z.input<typeof fieldInputSchema>;

export const formFieldSchema = fieldInputSchema.extend({ key: z.string().regex(fieldKeyPattern) });
export type FormField = z.infer<typeof formFieldSchema>;

export const formVersionStatusSchema = z.enum(['DRAFT', 'PUBLISHED', 'ARCHIVED']);
export type FormVersionStatus = z.infer<typeof formVersionStatusSchema>;

export interface FormVersion {
  formId: string;
  number: number;
  status: FormVersionStatus;
  fields: FormField[];
  createdAt: string;
  publishedAt?: string;
  archivedAt?: string;
}

export interface IntakeForm {
  id: string;
  name: string;
  description: string;
  latestVersion: number;
  publishedVersion: number | null;
  draftVersion: number | null;
  /** Set while a delete is in progress; new incidents may not use it then. */
  deletingAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const formInputSchema = z.object({
  name: z.string().trim().min(1, 'required').max(200),
  description: z.string().trim().max(2000).default(''),
});

export const fieldsInputSchema = z.object({ fields: z.array(fieldInputSchema).max(200, 'at most 200 fields') });

/** A form as stored: with the head of its audit chain. */
export type StoredForm = IntakeForm & { audit: ChainHead };
