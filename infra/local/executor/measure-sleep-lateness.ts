// `npx tsx infra/local/executor/measure-sleep-lateness.ts`: 1,000 concurrent sleeps on the real clock.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { serve as serveNode } from '@hono/node-server';
import { Hono } from 'hono';
import { Inngest } from 'inngest';
import { serve } from 'inngest/hono';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../log';
import { startDynamoLocal } from '../dynamodb-local';
import { findFreePort } from '../ports';
import { startExecutor } from './start-executor';

const total = 1000;
const spreadFromMs = 10_000;
const spreadToMs = 20_000;

async function main() {
  const dynamo = process.env.DYNAMODB_ENDPOINT
    ? { endpoint: process.env.DYNAMODB_ENDPOINT, stop: async () => undefined }
    : await startDynamoLocal({ port: await findFreePort(), timeoutMs: 60_000 });
  const executor = await startExecutor({
    port: 0,
    dynamo: { region: 'us-east-1', endpoint: dynamo.endpoint },
    tableName: `lateness-${Date.now()}`,
    logger: createLogger('warn'),
  });
  const lateness: number[] = [];
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const inngest = new Inngest({
    id: 'lateness',
    isDev: true,
    baseUrl: executor.url,
    logger: { info() {}, warn() {}, error() {}, debug() {} },
  });
  const sleeper = inngest.createFunction({ id: 'sleep-once', triggers: { event: 'bench/sleep' } }, async ({ event, step }) => {
    const due = String(event.data.due);
    await step.sleepUntil('until-due', due);
    // Measured where the workflow resumes: in the app, after the timer fired and the executor called back.
    await step.run('woke', () => {
      lateness.push(Date.now() - Date.parse(due));
      if (lateness.length === total) finished();
    });
  });
  const app = new Hono();
  app.on(['GET', 'PUT', 'POST'], '/api/inngest', serve({ client: inngest, functions: [sleeper] }));
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  await executor.registerApp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`);

  const start = Date.now();
  const events = Array.from({ length: total }, (_, i) => ({
    name: 'bench/sleep',
    data: { due: new Date(start + spreadFromMs + Math.round(((spreadToMs - spreadFromMs) * i) / total)).toISOString() },
  }));
  for (let i = 0; i < total; i += 100) await inngest.send(events.slice(i, i + 100));
  process.stderr.write(`sent ${total} events in ${Date.now() - start} ms; waiting for the sleeps…\n`);
  await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, spreadToMs + 60_000))]);

  const sorted = [...lateness].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  console.log(`sleeps fired: ${sorted.length}/${total}`);
  console.log(`lateness ms: p50 ${pick(0.5)}  p99 ${pick(0.99)}  max ${sorted.at(-1)}  min ${sorted[0]}`);
  await executor.stop();
  server.close();
  await dynamo.stop();
  process.exit(sorted.length === total ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
