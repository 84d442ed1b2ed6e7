import { Hono } from 'hono';
import type { Scheduler } from './clock';
import { VirtualClock } from './clock';
import type { ExecutionEngine } from './engine';
import { runsPage } from './html-page';
import type { ExecutorStore } from './store';
import { runStatuses, type FunctionConfig, type RunStatus } from './types';

export interface HttpApiDeps {
  engine: ExecutionEngine;
  store: ExecutorStore;
  clock: Scheduler;
  eventKey?: string;
  syncApp: (url: string) => Promise<unknown>;
  /** How many fired timers `POST /dev/clock` lets be under way at once unless the body says (see MoveOptions). */
  clockConcurrency?: number;
}

const maxEventBytes = 3 * 1024 * 1024;

/** The executor's HTTP surface: what the SDK calls (sync, events), the dev clock, and read-only run views. */
export function createHttpApi({ engine, store, clock, eventKey, syncApp, clockConcurrency = 32 }: HttpApiDeps): Hono {
  const app = new Hono();
  const readJson = async (request: Request): Promise<unknown> => {
    const text = await request.text();
    if (text.length > maxEventBytes) throw new HttpError(413, 'Body too large');
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      throw new HttpError(400, 'Body is not valid JSON');
    }
  };
  app.onError((error, c) => {
    const status = error instanceof HttpError ? error.status : 500;
    return c.json({ status, error: error instanceof HttpError ? error.message : 'Internal executor error' }, status as 400);
  });

  app.get('/', (c) => c.html(runsPage));
  app.get('/health', (c) => c.json({ status: 'ok' }));

  // Out-of-band sync: the SDK's serve endpoint answers a PUT by posting its configuration here.
  app.post('/fn/register', async (c) => {
    const body = (await readJson(c.req.raw)) as { appName?: string; url?: string; functions?: FunctionConfig[] } | undefined;
    if (!body?.appName || !body.url || !Array.isArray(body.functions)) throw new HttpError(400, 'Expected appName, url and functions');
    await engine.registerApp({ appId: body.appName, url: body.url, functions: body.functions });
    return c.json({ status: 200, ok: true, modified: true });
  });

  app.post('/e/:key', async (c) => {
    if (eventKey && c.req.param('key') !== eventKey) throw new HttpError(401, 'Unknown event key');
    const body = await readJson(c.req.raw);
    const events = (Array.isArray(body) ? body : [body]) as Record<string, unknown>[];
    if (events.some((e) => !e || typeof e !== 'object' || typeof e.name !== 'string' || !e.name)) {
      throw new HttpError(400, 'Every event needs a non-empty string name');
    }
    const ids = await engine.ingest(events, c.req.header('x-inngest-event-id-seed'));
    return c.json({ ids, status: 200 });
  });

  app.post('/dev/apps', async (c) => {
    const body = (await readJson(c.req.raw)) as { url?: string } | undefined;
    if (!body?.url) throw new HttpError(400, 'Expected {"url": "<serve endpoint>"}');
    return c.json(await syncApp(body.url));
  });

  app.get('/dev/clock', (c) => c.json({ kind: clock.kind, now: clock.now().toISOString() }));
  app.post('/dev/clock', async (c) => {
    if (!(clock instanceof VirtualClock)) throw new HttpError(409, 'The executor runs on the real clock; start it with a virtual clock');
    const body = (await readJson(c.req.raw)) as { advanceMs?: number; to?: string; concurrency?: number } | undefined;
    const move = { concurrency: body?.concurrency ?? clockConcurrency };
    try {
      if (typeof body?.advanceMs === 'number') await clock.advance(body.advanceMs, move);
      else if (typeof body?.to === 'string') await clock.set(body.to, move);
      else throw new HttpError(400, 'Expected {"advanceMs": number} or {"to": ISO instant}');
    } catch (error) {
      if (error instanceof RangeError) throw new HttpError(400, error.message);
      throw error;
    }
    return c.json({ kind: clock.kind, now: clock.now().toISOString() });
  });

  app.get('/v1/apps', (c) => c.json({ apps: [...engine.apps.values()] }));
  app.get('/v1/functions', (c) => c.json({ functions: engine.listFunctions() }));
  app.get('/v1/events', async (c) => c.json({ events: await store.listEvents(limitOf(c.req.query('limit'))) }));
  app.get('/v1/events/:id', async (c) => {
    const event = await store.getEvent(c.req.param('id'));
    if (!event) throw new HttpError(404, 'No such event');
    return c.json(event);
  });
  app.get('/v1/runs', async (c) => {
    const status = c.req.query('status');
    if (status && !runStatuses.includes(status as RunStatus)) throw new HttpError(400, `status must be one of ${runStatuses.join(', ')}`);
    const runs = await store.listRuns({
      functionId: c.req.query('functionId') || undefined,
      eventId: c.req.query('eventId') || undefined,
      status: (status || undefined) as RunStatus | undefined,
      limit: limitOf(c.req.query('limit')),
    });
    return c.json({ runs: runs.map(({ history: _history, steps: _steps, ...summary }) => summary) });
  });
  app.get('/v1/runs/counts', async (c) =>
    c.json(Object.fromEntries(await Promise.all(runStatuses.map(async (status) => [status, await store.countRuns(status)] as const)))),
  );
  app.get('/v1/runs/:id', async (c) => {
    const run = await store.getRun(c.req.param('id'));
    if (!run) throw new HttpError(404, 'No such run');
    return c.json(run);
  });
  return app;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const limitOf = (value: string | undefined) => Math.min(Math.max(Number(value) || 50, 1), 500);
