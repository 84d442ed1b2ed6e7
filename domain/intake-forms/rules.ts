import { ConflictError, InvalidError } from '../shared/errors';
import { normaliseFields } from './field-rules';
import type { FieldInput, FormField, FormVersion, IntakeForm } from './schema';

/** Which version a field edit writes: the open draft, or a new draft after the published one. */
export function planFieldEdit(
  form: IntakeForm,
  inputs: FieldInput[],
): { fields: FormField[]; versionNumber: number; createsDraft: boolean } {
  const { fields, issues } = normaliseFields(inputs);
  if (issues.length > 0) throw new InvalidError('The fields are not valid', issues);
  if (form.draftVersion !== null) return { fields, versionNumber: form.draftVersion, createsDraft: false };
  return { fields, versionNumber: form.latestVersion + 1, createsDraft: true };
}

/** A draft may be published when it has fields that obey every rule; the published one becomes archived. */
export function planPublish(form: IntakeForm, draft: FormVersion | undefined): { publish: number; archive: number | null } {
  if (form.draftVersion === null || !draft) {
    throw new ConflictError(
      `Form ${form.id} has no draft to publish; edit its fields first (PUT /v1/breach-intake-forms/${form.id}/fields)`,
    );
  }
  if (draft.fields.length === 0) {
    throw new InvalidError(
      `Draft version ${draft.number} has no fields; add at least one before publishing`,
      [{ path: 'fields', message: 'empty' }],
      true,
    );
  }
  const { issues } = normaliseFields(draft.fields, 'fields');
  if (issues.length > 0) throw new InvalidError(`Draft version ${draft.number} is not valid`, issues, true);
  return { publish: draft.number, archive: form.publishedVersion };
}
