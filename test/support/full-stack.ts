import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mountInngestEndpoint, INNGEST_PATH } from '../../functions/inngest-endpoint';
import { startExecutor, VirtualClock, type RunningExecutor } from '../../infra/local/executor';
import { createLogger } from '../../infra/log';
import { createWorkflows } from '../../workflows';
import { startTestApi, type TestApi } from './test-app';

export interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

export interface FullStack {
  api: TestApi;
  clock: VirtualClock;
  executor: RunningExecutor;
  /** Advances the one virtual clock every component reads, then waits for the work that fell due. */
  advance(ms: number): Promise<void>;
  idle(): Promise<void>;
  /** Every email the local SES endpoint accepted that mentions `text` in its subject or body. */
  emailsAbout(text: string): Promise<StoredEmail[]>;
  restartExecutor(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole system in-process on one virtual clock: the API and its Inngest endpoint over real HTTP,
 * the local executor with its own DynamoDB Local table, and the local SES endpoint's store.
 */
export async function startFullStack(start = Date.UTC(2030, 0, 7, 9)): Promise<FullStack> {
  const clock = new VirtualClock(start);
  const tableName = `executor-${randomUUID().slice(0, 8)}`;
  const dynamo = { region: 'us-east-1', endpoint: inject('dynamoEndpoint') };
  const logger = createLogger('silent');
  let executor = await startExecutor({ port: 0, dynamo, tableName, clock, logger });
  const api = await startTestApi({ clock, config: { INNGEST_BASE_URL: executor.url } });
  const workflows = createWorkflows(api.deps, { isDev: true, baseUrl: executor.url });
  // The app server is already listening; mounting adds the serve endpoint to the same router.
  mountInngestEndpoint(api.app, workflows);
  await executor.registerApp(`${api.url}${INNGEST_PATH}`);
  const port = executor.port;
  const sesStore = `${inject('sesEndpoint')}/store`;
  const stack: FullStack = {
    api,
    clock,
    get executor() {
      return executor;
    },
    async advance(ms) {
      await clock.advance(ms);
      await executor.idle();
    },
    idle: () => executor.idle(),
    async emailsAbout(text) {
      const { emails } = (await (await fetch(sesStore)).json()) as { emails: StoredEmail[] };
      return emails.filter((e) => e.subject.includes(text) || (e.body.text ?? '').includes(text));
    },
    async restartExecutor() {
      await executor.stop();
      executor = await startExecutor({ port, dynamo, tableName, clock, logger });
      await executor.idle();
    },
    async stop() {
      await executor.stop();
      await api.stop();
    },
  };
  return stack;
}
