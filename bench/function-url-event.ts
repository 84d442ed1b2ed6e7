/**
 * A Lambda function URL request event (payload format 2.0, the shape API Gateway HTTP APIs send too), as AWS
 * delivers it: lower-case headers, the raw query string, `$default` route and stage, text bodies not base64.
 */
export interface FunctionUrlRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  domainName?: string;
}

let sequence = 0;

export function functionUrlEvent({
  method,
  path,
  query = {},
  headers = {},
  body,
  domainName = 'abcdefghij0123456789.lambda-url.us-east-1.on.aws',
}: FunctionUrlRequest) {
  const requestId = `req-${process.pid}-${++sequence}`;
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    headers: {
      host: domainName,
      'user-agent': 'lambda-bundle-test',
      'x-amzn-trace-id': `Root=1-${requestId}`,
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...(text !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}),
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: domainName.split('.')[0],
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'lambda-bundle-test' },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(text !== undefined ? { body: text } : {}),
    isBase64Encoded: false,
  };
}
