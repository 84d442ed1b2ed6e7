import { escapeHtml, pageShell } from './html';

const readable = (iso: string) =>
  iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
    .replace(/Z$/, ' UTC');

/** What the reporter keeps: the incident reference and the instant it was recorded. */
export function renderReceiptPage(options: {
  nonce: string;
  formName: string;
  incidentId: string;
  recordedAt: string;
  againHref: string;
}): string {
  const body = `<h1 id="receipt-title" tabindex="-1">Report received</h1>
<p role="status">Thank you. Your report for “${escapeHtml(options.formName)}” has been recorded. Keep the reference below: the response team will quote it.</p>
<dl class="receipt">
<dt>Reference</dt><dd id="receipt-reference">${escapeHtml(options.incidentId)}</dd>
<dt>Recorded at</dt><dd><time id="receipt-recorded-at" datetime="${escapeHtml(options.recordedAt)}">${escapeHtml(readable(options.recordedAt))}</time></dd>
</dl>
<p><a href="${escapeHtml(options.againHref)}">Report another incident</a></p>`;
  return pageShell({
    title: `Report received: ${options.incidentId}`,
    nonce: options.nonce,
    body,
    script: "document.getElementById('receipt-title').focus();",
  });
}
