/**
 * The API reference page: Swagger UI from the `swagger-ui-dist` package, served from local files (no CDN, so it works
 * offline and inside intranets). Swagger UI was chosen over Scalar's standalone bundle because it is self-contained
 * (Scalar's loads web fonts from its CDN and suggests a proxy for try-it), its DOM is stable to test, and it can be
 * pre-authorised with a token. Try-it sends requests to the origin the page came from.
 */
export function docsPageHtml({ openApiUrl, assetsPath, devToken }: { openApiUrl: string; assetsPath: string; devToken?: string }) {
  // JSON.stringify plus escaping `<` keeps a value from closing the script element.
  const js = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Breach Response API reference</title>
<link rel="stylesheet" href="${assetsPath}/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="${assetsPath}/swagger-ui-bundle.js"></script>
<script>
const devToken = ${js(devToken ?? null)};
window.ui = SwaggerUIBundle({
  url: ${js(openApiUrl)},
  dom_id: '#docs',
  deepLinking: true,
  displayOperationId: true,
  displayRequestDuration: true,
  requestSnippetsEnabled: true,
  tryItOutEnabled: true,
  filter: true,
  onComplete: () => { if (devToken) window.ui.preauthorizeApiKey('bearerAuth', devToken); },
});
</script>
</body>
</html>`;
}
