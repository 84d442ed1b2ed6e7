// The load generator, run as its own process so that it does not share an event loop with what it measures.
// Input: one JSON argument; output: one JSON line on stdout.
export interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  /** Request bodies are taken in turn; `{{n}}` is replaced by the request number. */
  bodies: string[];
  durationMs: number;
  method?: 'GET' | 'POST';
  /** When set, requests go to these URLs in turn (GET load). */
  urls?: string[];
  /** Closed loop: this many requests in flight at all times. */
  concurrency?: number;
  /** Open loop: start this many requests per second regardless of answers. */
  ratePerSecond?: number;
  /** When set, every request carries its own `Idempotency-Key: {prefix}-{n}`. */
  idempotencyKeyPrefix?: string;
  /** Closed loop only: stop after this many requests (or at `durationMs`, whichever comes first). */
  count?: number;
  /**
   * Open loop only: requests at the same rate for this long before `durationMs` starts, not counted. A fresh load
   * process's first requests pay for its own start (undici loaded and compiled, connections opened), not the server's.
   */
  warmupMs?: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  throughput: number;
  latenciesMs: number[];
  /** Identifiers of created resources (the `id` of each 2xx JSON answer), with their completion time. */
  created: { id: string; at: number; latencyMs: number }[];
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const statuses: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const created: LoadResult['created'] = [];
  let n = 0;
  let ok = 0;
  let counting = true;
  let start = performance.now();
  let deadline = start + plan.durationMs;
  const one = async () => {
    const i = n++;
    const body = plan.bodies[i % plan.bodies.length]!.replaceAll('{{n}}', String(i));
    const t0 = performance.now();
    const counted = counting;
    let status = 'error';
    try {
      const get = plan.method === 'GET';
      const url = plan.urls ? plan.urls[i % plan.urls.length]! : plan.url;
      const headers = plan.idempotencyKeyPrefix
        ? { ...plan.headers, 'idempotency-key': `${plan.idempotencyKeyPrefix}-${i}` }
        : plan.headers;
      const response = await fetch(url, { method: get ? 'GET' : 'POST', headers, body: get ? undefined : body });
      const text = await response.text();
      status = String(response.status);
      if (!counted) return;
      if (response.ok) {
        ok++;
        const t1 = performance.now();
        latenciesMs.push(t1 - t0);
        const id = get ? undefined : (JSON.parse(text) as { id?: string }).id;
        if (id) created.push({ id, at: Date.now(), latencyMs: t1 - t0 });
      }
    } catch {
      status = 'error';
    }
    if (counted) statuses[status] = (statuses[status] ?? 0) + 1;
  };
  if (plan.ratePerSecond) {
    const inflight = new Set<Promise<void>>();
    const interval = 1000 / plan.ratePerSecond;
    if (plan.warmupMs) {
      counting = false;
      const warmupEnd = start + plan.warmupMs;
      for (let k = 0; start + k * interval < warmupEnd; k++) {
        const wait = start + k * interval - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const p = one().finally(() => inflight.delete(p));
        inflight.add(p);
      }
      // The measured window continues the same schedule: warm-up requests still in flight overlap its start.
      start = warmupEnd;
      deadline = start + plan.durationMs;
      n = 0;
      counting = true;
    }
    for (let k = 0; ; k++) {
      const due = start + k * interval;
      if (due >= deadline) break;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const p = one().finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
  } else {
    const workers = Array.from({ length: plan.concurrency ?? 16 }, async () => {
      while (performance.now() < deadline && (plan.count === undefined || n < plan.count)) await one();
    });
    await Promise.all(workers);
  }
  const elapsedMs = performance.now() - start;
  return { sent: n, ok, statuses, elapsedMs, throughput: (ok * 1000) / elapsedMs, latenciesMs, created };
}

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
run(plan).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => {
    process.stderr.write(String((error as Error).stack ?? error));
    process.exit(1);
  },
);
