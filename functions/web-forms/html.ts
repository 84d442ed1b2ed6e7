/** Escapes text for HTML element content and double-quoted attributes. */
export const escapeHtml = (value: unknown) =>
  String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const STYLES = `
:root { color-scheme: light; --fg: #1b1b1b; --muted: #505a5f; --error: #b00020; --focus: #ffbf47; --accent: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .5rem; }
.field { margin: 0 0 .75rem; }
label, legend { display: block; font-weight: 600; margin-bottom: .25rem; }
fieldset { border: 0; padding: 0; margin: 0; }
.help { color: var(--muted); margin: 0 0 .35rem; font-size: .95rem; }
.req { color: var(--error); }
input[type=text], input[type=email], input[type=number], input[type=date], input[type=datetime-local], select, textarea {
  width: 100%; max-width: 100%; font: inherit; padding: .45rem .5rem; border: 2px solid #0b0c0c; border-radius: 0; background: #fff; }
textarea { min-height: 8rem; }
select[multiple] { min-height: 12rem; }
.choice { display: flex; gap: .5rem; align-items: center; margin: .25rem 0; font-weight: 400; }
.choice input { width: 1.25rem; height: 1.25rem; margin: 0; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 0; box-shadow: 0 0 0 5px #0b0c0c; }
[aria-invalid=true] { border-color: var(--error) !important; }
/* Space for one line of error is always kept, so an error appearing or clearing on blur never moves what is being clicked. */
.error { color: var(--error); font-weight: 600; margin: .25rem 0 0; min-height: 1.5em; }
.summary { border: 4px solid var(--error); padding: 1rem; margin: 0 0 1.5rem; }
.summary:focus { outline: 3px solid var(--focus); }
.summary h2 { font-size: 1.2rem; margin: 0 0 .5rem; }
.summary a { color: var(--error); font-weight: 600; }
button { font: inherit; font-weight: 600; padding: .6rem 1.2rem; border: 0; background: var(--accent); color: #fff; cursor: pointer; }
button[disabled] { opacity: .6; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.hp { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
.notice { border-left: 6px solid var(--accent); padding: .5rem 1rem; }
.receipt dt { font-weight: 600; } .receipt dd { margin: 0 0 .75rem; font-family: ui-monospace, monospace; font-size: 1.1rem; }
`;

/** A whole page, no external asset: styles and scripts are inline, allowed by the CSP nonce. */
export function pageShell(options: { title: string; nonce: string; body: string; script?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(options.title)}</title>
<style nonce="${options.nonce}">${STYLES}</style>
</head>
<body>
<main id="main">
${options.body}
</main>
${options.script ? `<script nonce="${options.nonce}">${options.script}</script>` : ''}
</body>
</html>`;
}

/** Headers every web-form page carries: its own CSP with frame-ancestors instead of X-Frame-Options. */
export function pageHeaders(nonce: string, frameAncestors: string): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' data:",
      "form-action 'self'",
      "base-uri 'none'",
      `frame-ancestors ${frameAncestors}`,
    ].join('; '),
  };
}
