import type { BreachType } from '../../domain/breach-types/schema';
import type { FormField, FormVersion, IntakeForm } from '../../domain/intake-forms/schema';
import { META, otherJurisdictionsName, type FormValues } from '../../domain/web-forms/form-values';
import { CLIENT_DOM_JS } from './client-script';
import { CLIENT_RULES_JS, clientField, clientRulesContext } from './client-rules';
import { escapeHtml, pageShell, scriptJson } from './html';
import { jurisdictionOptions } from './jurisdiction-options';

export interface FormPageInput {
  nonce: string;
  form: Pick<IntakeForm, 'id' | 'name' | 'description'>;
  version: FormVersion;
  breachTypes: BreachType[];
  action: string;
  submissionKey: string;
  csrfToken: string;
  /** Previously posted values, to refill the form after the server refused it. */
  values?: FormValues;
  /** Field key → message, from the server's validator; `_form` for problems not tied to a field. */
  errors?: Record<string, string>;
}

const ids = (key: string) => ({ control: `f-${key}`, label: `f-${key}-label`, help: `f-${key}-help`, error: `f-${key}-error` });
const attrs = (pairs: Record<string, string | boolean | number | undefined>) =>
  Object.entries(pairs)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`))
    .join('');

function labelText(field: FormField) {
  const marker = field.required
    ? ' <span class="req" aria-hidden="true">*</span><span class="visually-hidden"> (required)</span>'
    : ' <span class="help">(optional)</span>';
  return `${escapeHtml(field.label)}${marker}`;
}

function option(value: string, label: string, selected: boolean) {
  return `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

function renderField(field: FormField, input: FormPageInput): string {
  const id = ids(field.key);
  const posted = input.values?.(field.key) ?? [];
  const first = posted[0] ?? '';
  const error = input.errors?.[field.key];
  const describedBy = [field.helpText ? id.help : undefined, id.error].filter(Boolean).join(' ');
  const common = { name: field.key, 'data-field': field.key, 'aria-describedby': describedBy, 'aria-invalid': error ? 'true' : undefined };
  const help = field.helpText ? `<p class="help" id="${id.help}">${escapeHtml(field.helpText)}</p>` : '';
  const errorEl = `<p class="error" id="${id.error}" aria-live="polite">${error ? escapeHtml(error) : ''}</p>`;
  const labelAttrs = `id="${id.label}" data-label="${escapeHtml(field.label)}"`;
  const labelled = (control: string) =>
    `<div class="field"><label for="${id.control}" ${labelAttrs}>${labelText(field)}</label>${help}${control}${errorEl}</div>`;
  const grouped = (controls: string) =>
    `<fieldset class="field" aria-describedby="${describedBy}"><legend ${labelAttrs}>${labelText(field)}</legend>${help}${controls}${errorEl}</fieldset>`;
  const required = field.required ? { required: true, 'aria-required': 'true' } : {};

  switch (field.type) {
    case 'TEXT':
      return labelled(`<input${attrs({ type: 'text', id: id.control, ...common, ...required, value: first })}>`);
    case 'TEXTAREA':
      return labelled(`<textarea${attrs({ id: id.control, ...common, ...required, rows: 6 })}>${escapeHtml(first)}</textarea>`);
    case 'NUMBER':
      return labelled(
        `<input${attrs({ type: 'number', id: id.control, ...common, ...required, inputmode: field.integer ? 'numeric' : 'decimal', step: field.integer ? '1' : 'any', min: field.min, max: field.max, value: first })}>`,
      );
    case 'DATE':
      return labelled(`<input${attrs({ type: 'date', id: id.control, ...common, ...required, value: first })}>`);
    case 'DATETIME':
      return labelled(`<input${attrs({ type: 'datetime-local', id: id.control, ...common, ...required, value: first })}>`);
    case 'EMAIL':
      return labelled(
        `<input${attrs({ type: 'email', id: id.control, ...common, ...required, autocomplete: 'email', spellcheck: 'false', value: first })}>`,
      );
    case 'BOOLEAN':
      return grouped(
        [
          ['true', 'Yes'],
          ['false', 'No'],
        ]
          .map(
            ([value, text], i) =>
              `<label class="choice" for="${i === 0 ? id.control : `${id.control}-no`}"><input${attrs({
                type: 'radio',
                id: i === 0 ? id.control : `${id.control}-no`,
                ...common,
                'aria-describedby': undefined,
                ...(field.required ? { required: true } : {}),
                value,
                checked: first === value,
              })}> ${text}</label>`,
          )
          .join(''),
      );
    case 'MULTI_SELECT':
      return grouped(
        (field.options ?? [])
          .map((value, i) => {
            const cid = i === 0 ? id.control : `${id.control}-${i}`;
            return `<label class="choice" for="${cid}"><input${attrs({ type: 'checkbox', id: cid, ...common, 'aria-describedby': undefined, value, checked: posted.includes(value) })}> ${escapeHtml(value)}</label>`;
          })
          .join(''),
      );
    case 'SELECT':
      return labelled(
        `<select${attrs({ id: id.control, ...common, ...required })}>${option('', 'Choose…', first === '')}${(field.options ?? []).map((o) => option(o, o, first === o)).join('')}</select>`,
      );
    case 'BREACH_TYPE_SELECT':
      return labelled(
        `<select${attrs({ id: id.control, ...common, ...required })}>${option('', 'Choose a breach type…', first === '')}${input.breachTypes
          .map((t) => option(t.id, t.description ? `${t.name} — ${t.description}` : t.name, first === t.id))
          .join('')}</select>`,
      );
    case 'JURISDICTION_SELECT':
      return renderJurisdictionField(field, input, id, common, required, help, errorEl, labelAttrs, posted);
  }
}

function renderJurisdictionField(
  field: FormField,
  input: FormPageInput,
  id: ReturnType<typeof ids>,
  common: Record<string, string | undefined>,
  required: Record<string, string | boolean | undefined>,
  help: string,
  errorEl: string,
  labelAttrs: string,
  posted: string[],
): string {
  const { countries, usSubdivisions } = jurisdictionOptions();
  const multiple = field.multiple !== false;
  const groups =
    `<optgroup label="Countries">${countries.map((o) => option(o.code, o.label, posted.includes(o.code))).join('')}</optgroup>` +
    `<optgroup label="US states and territories">${usSubdivisions.map((o) => option(o.code, o.label, posted.includes(o.code))).join('')}</optgroup>`;
  const select = multiple
    ? `<select${attrs({ id: id.control, ...common, ...required, multiple: true, size: 10 })}>${groups}</select>`
    : `<select${attrs({ id: id.control, ...common, ...required })}>${option('', 'Choose a jurisdiction…', posted.length === 0)}${groups}</select>`;
  const hint = multiple
    ? '<p class="help">Hold Ctrl (⌘ on a Mac) or Shift to choose several; with the keyboard, use Shift + arrow keys or Ctrl + Space.</p>'
    : '';
  const otherName = otherJurisdictionsName(field.key);
  const other = multiple
    ? `<label for="${id.control}-other" class="other-label">Other regions (optional): ISO 3166-2 codes separated by commas, e.g. GB-SCT, DE-BY</label>` +
      `<input${attrs({ type: 'text', id: `${id.control}-other`, name: otherName, 'data-field': field.key, 'data-other': 'true', 'aria-describedby': id.error, value: input.values?.(otherName)[0] ?? '' })}>`
    : '';
  return `<div class="field"><label for="${id.control}" ${labelAttrs}>${labelText(field)}</label>${help}${hint}${select}${other}${errorEl}</div>`;
}

/** The published version as a self-contained, accessible HTML form. */
export function renderFormPage(input: FormPageInput): string {
  const formError = input.errors?._form;
  const fieldErrors = input.version.fields.filter((f) => input.errors?.[f.key]);
  const summaryItems = [
    ...(formError ? [`<li>${escapeHtml(formError)}</li>`] : []),
    ...fieldErrors.map((f) => `<li><a href="#${ids(f.key).control}">${escapeHtml(f.label)}: ${escapeHtml(input.errors![f.key])}</a></li>`),
  ];
  const hasErrors = summaryItems.length > 0;
  const summary = `<div class="summary" id="error-summary" role="alert" tabindex="-1"${hasErrors ? '' : ' hidden'}>${
    hasErrors
      ? `<h2>${summaryItems.length === 1 ? 'There is a problem' : `There are ${summaryItems.length} problems`}</h2><ul>${summaryItems.join('')}</ul>`
      : ''
  }</div>`;
  const config = {
    fields: input.version.fields.map(clientField),
    context: clientRulesContext(input.breachTypes.map((t) => t.id)),
  };
  const body = `<h1>${escapeHtml(input.form.name)}</h1>
${input.form.description ? `<p>${escapeHtml(input.form.description)}</p>` : ''}
<p class="help">Questions marked <span class="req" aria-hidden="true">*</span> are required. You do not need an account; you will get a reference when the report is recorded.</p>
${summary}
<form id="report-form" method="post" action="${escapeHtml(input.action)}" novalidate accept-charset="utf-8" data-form-version="${input.version.number}">
<input type="hidden" name="${META.key}" value="${escapeHtml(input.submissionKey)}">
<input type="hidden" name="${META.csrf}" value="${escapeHtml(input.csrfToken)}">
<input type="hidden" name="${META.timeZone}" value="">
<div class="hp" aria-hidden="true"><label for="hp-website">Website</label><input type="text" id="hp-website" name="${META.honeypot}" tabindex="-1" autocomplete="off" value=""></div>
${input.version.fields.map((f) => renderField(f, input)).join('\n')}
<button type="submit" data-label="Submit report">Submit report</button>
</form>
<script type="application/json" id="form-config">${scriptJson(config)}</script>`;
  return pageShell({ title: `Report: ${input.form.name}`, nonce: input.nonce, body, script: `${CLIENT_RULES_JS}\n${CLIENT_DOM_JS}` });
}
