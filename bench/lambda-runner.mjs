// Runs one Lambda bundle in this fresh Node process, as the Lambda runtime would: import once, then invoke
// `handler` for each event (one JSON line on stdin each). Every report is one stdout line after MARKER, so app
// log lines cannot be mistaken for results. Timings are taken here, inside the process, with performance.now().
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const MARKER = '@@lambda-runner ';
const report = (message) => process.stdout.write(`${MARKER}${JSON.stringify(message)}\n`);
const describe = (err) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

const processStartedMs = performance.now();
let handler;
try {
  handler = (await import(pathToFileURL(process.argv[2]).href)).handler;
  if (typeof handler !== 'function') throw new Error(`${process.argv[2]} exports no handler function`);
} catch (err) {
  report({ type: 'failed', error: describe(err) });
  process.exit(1);
}
report({ type: 'ready', importMs: performance.now() - processStartedMs, processStartedMs });

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
    report({ type: 'result', durationMs: performance.now() - started, response });
  } catch (err) {
    report({ type: 'result', durationMs: performance.now() - started, error: describe(err) });
  }
}
