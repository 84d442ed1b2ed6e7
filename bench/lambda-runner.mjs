// Runs one Lambda bundle in this fresh Node process, as the Lambda runtime would: import once, then invoke
// `handler` for each event (one JSON line on stdin each). Every report is one stdout line after MARKER, so app
// log lines cannot be mistaken for results. Timings are taken here, inside the process, with performance.now().
import { register } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const MARKER = '@@lambda-runner ';
const report = (message) => process.stdout.write(`${MARKER}${JSON.stringify(message)}\n`);
const describe = (err) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

const processStartedMs = performance.now();
// With --trace-loads, every report also lists the files loaded so far (see lambda-load-hooks.mjs).
const loaded = process.argv.includes('--trace-loads') ? [] : undefined;
if (loaded) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => loaded.push(url));
  port1.unref();
  register(new URL('./lambda-load-hooks.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });
}
async function loadedSoFar() {
  if (!loaded) return undefined;
  // The hooks thread posts a file before it is loaded; a turn of the event loop lets the last messages arrive.
  await new Promise((resolve) => setImmediate(resolve));
  return [...loaded];
}

let handler;
try {
  handler = (await import(pathToFileURL(process.argv[2]).href)).handler;
  if (typeof handler !== 'function') throw new Error(`${process.argv[2]} exports no handler function`);
} catch (err) {
  report({ type: 'failed', error: describe(err) });
  process.exit(1);
}
report({ type: 'ready', importMs: performance.now() - processStartedMs, processStartedMs, loaded: await loadedSoFar() });

let invocation = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const event = JSON.parse(line);
  const deadline = Date.now() + 30_000;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bundle',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bundle'}`,
    memoryLimitInMB: '1024',
    awsRequestId: `invocation-${++invocation}`,
    logGroupName: '/aws/lambda/bundle',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  const started = performance.now();
  try {
    const response = await handler(event, context);
    const durationMs = performance.now() - started;
    report({ type: 'result', durationMs, response, loaded: await loadedSoFar() });
  } catch (err) {
    report({ type: 'result', durationMs: performance.now() - started, error: describe(err) });
  }
}
