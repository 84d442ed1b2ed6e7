import { escapeHtml, pageShell } from './html';

/** A clear, self-contained page for every way a form can be unavailable or a submission refused. */
export function renderNoticePage(options: {
  nonce: string;
  title: string;
  message: string;
  link?: { href: string; text: string };
}): string {
  const link = options.link ? `<p><a href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.text)}</a></p>` : '';
  return pageShell({
    title: options.title,
    nonce: options.nonce,
    body: `<div class="notice" role="status"><h1 id="notice-title">${escapeHtml(options.title)}</h1><p id="notice-message">${escapeHtml(options.message)}</p>${link}</div>`,
  });
}
