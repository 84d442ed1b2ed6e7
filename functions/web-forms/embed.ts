import { escapeHtml } from './html';

export const SUBMISSION_KEY_PLACEHOLDER = '{submissionKey}';

export const webFormPath = (org: string, formId: string) => `/forms/${encodeURIComponent(org)}/${encodeURIComponent(formId)}`;

/** The page URL (with its public key, or a placeholder for it) and an <iframe> snippet to paste into a portal. */
export function embedFor(baseUrl: string, org: string, formId: string, title: string, key: string = SUBMISSION_KEY_PLACEHOLDER) {
  const url = `${baseUrl.replace(/\/+$/, '')}${webFormPath(org, formId)}?key=${key === SUBMISSION_KEY_PLACEHOLDER ? key : encodeURIComponent(key)}`;
  const iframeHtml = `<iframe src="${escapeHtml(url)}" title="${escapeHtml(title)}" width="100%" height="1100" style="border:0;max-width:48rem" loading="lazy"></iframe>`;
  return { url, iframeHtml };
}
