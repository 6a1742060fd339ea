import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type HttpResult, messageOf, request } from './http.js';

/** Seconds since a drill began: every time in a report is on this clock. */
export class Clock {
  private readonly t0 = performance.now();
  readonly marks: Array<{ t: number; what: string }> = [];
  now(): number {
    return (performance.now() - this.t0) / 1000;
  }
  mark(what: string): number {
    const t = this.now();
    this.marks.push({ t, what });
    return t;
  }
}

export interface Sample {
  kind: 'round' | 'guess' | 'generate';
  /** When the request was sent and when its answer came, on the drill's clock (s). */
  t: number;
  end: number;
  status: number;
  ms: number;
  message?: string;
  retryAfter?: string;
}

export interface GuessAttempt {
  t: number;
  status: number;
  message?: string;
  retryAfter?: string;
}

export interface RoundRecord {
  id: string;
  guess: 'human' | 'machine';
  attempts: GuessAttempt[];
  /** A guess of it was answered 200. */
  acknowledged: boolean;
  /** Answered 409 "guessed already" on a retry after a failed attempt: the failed one was stored. */
  storedBeforeRetry: boolean;
  gaveUp: boolean;
}

function sampleOf(kind: Sample['kind'], t: number, end: number, r: HttpResult): Sample {
  const s: Sample = { kind, t, end, status: r.status, ms: r.ms };
  if (r.status < 200 || r.status >= 300) s.message = messageOf(r);
  const ra = r.headers['retry-after'];
  if (ra) s.retryAfter = String(ra);
  return s;
}

/**
 * Simulated players, each with a session of its own over keep-alive HTTP: deal a round
 * (POST /api/rounds {category}), guess it (POST /api/rounds/:id/guess {guess}), a short pause,
 * again. A round that fails is asked for again; a guess that gets no answer, 503 or 429 is sent
 * again (as the web app does) until it is answered or the drain deadline passes. Every request
 * is recorded with its status, message and latency, and every round with its guess attempts.
 */
export class GameLoad {
  readonly samples: Sample[] = [];
  readonly rounds = new Map<string, RoundRecord>();
  private stopping = false;
  private drainUntil = Number.POSITIVE_INFINITY;
  private loops: Promise<void>[] = [];
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    private readonly clock: Clock,
    private readonly options: { players: number; categories: string[]; thinkMs: number; retryMs: number; drainS: number },
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.players });
  }

  start(): void {
    for (let i = 0; i < this.options.players; i++) this.loops.push(this.player(i));
  }

  /** No new rounds; guesses still unanswered keep being retried for `drainS` seconds. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.drainUntil = this.clock.now() + this.options.drainS;
    await Promise.all(this.loops);
    this.agent.destroy();
  }

  private async call(kind: Sample['kind'], method: string, path: string, body: unknown, cookie: string | undefined): Promise<HttpResult> {
    const t = this.clock.now();
    const r = await request(this.agent, `${this.baseUrl}${path}`, method, body, cookie ? { cookie } : {}, 15_000);
    this.samples.push(sampleOf(kind, t, this.clock.now(), r));
    return r;
  }

  private async player(i: number): Promise<void> {
    let cookie: string | undefined;
    const category = this.options.categories[i % this.options.categories.length]!;
    while (!this.stopping) {
      const dealt = await this.call('round', 'POST', '/api/rounds', { category }, cookie);
      const set = dealt.headers['set-cookie'];
      if (set?.[0]) cookie = set[0].split(';')[0];
      if (dealt.status !== 201) {
        await sleep(this.options.retryMs);
        continue;
      }
      const id = (dealt.body as { id: string }).id;
      const rec: RoundRecord = { id, guess: Math.random() < 0.5 ? 'human' : 'machine', attempts: [], acknowledged: false, storedBeforeRetry: false, gaveUp: false };
      this.rounds.set(id, rec);
      for (;;) {
        const t = this.clock.now();
        const g = await this.call('guess', 'POST', `/api/rounds/${id}/guess`, { guess: rec.guess }, cookie);
        const attempt: GuessAttempt = { t, status: g.status };
        if (g.status !== 200) attempt.message = messageOf(g);
        if (g.headers['retry-after']) attempt.retryAfter = String(g.headers['retry-after']);
        rec.attempts.push(attempt);
        if (g.status === 200) {
          rec.acknowledged = true;
          break;
        }
        if (g.status === 409 && rec.attempts.length > 1) {
          rec.storedBeforeRetry = true;
          break;
        }
        const retryable = g.status === 0 || g.status === 503 || g.status === 429;
        if (!retryable || this.clock.now() > this.drainUntil) {
          rec.gaveUp = true;
          break;
        }
        await sleep(this.options.retryMs);
      }
      await sleep(this.options.thinkMs);
    }
  }
}

/** Clients of the inference service: POST /v1/models/<name>/generate, one after another each. */
export class GenerateLoad {
  readonly samples: Sample[] = [];
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    private readonly clock: Clock,
    private readonly options: { clients: number; models: string[]; maxNewTokens: number; pauseMs: number },
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  }

  get clients(): number {
    return this.options.clients;
  }

  start(): void {
    for (let i = 0; i < this.options.clients; i++) this.loops.push(this.client(i));
  }

  /** Waits for the requests in flight to be answered. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    this.agent.destroy();
  }

  private async client(i: number): Promise<void> {
    const model = this.options.models[i % this.options.models.length]!;
    while (!this.stopping) {
      const t = this.clock.now();
      const r = await request(this.agent, `${this.baseUrl}/v1/models/${model}/generate`, 'POST', { max_new_tokens: this.options.maxNewTokens }, {}, 60_000);
      this.samples.push(sampleOf('generate', t, this.clock.now(), r));
      await sleep(this.options.pauseMs);
    }
  }
}

export interface ReadyChange {
  t: number;
  status: number;
  detail: string;
}

/** Polls each service's GET /health/ready and keeps the changes of its answer. */
export class ReadyProbe {
  readonly changes = new Map<string, ReadyChange[]>();
  private stopping = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly targets: Array<{ name: string; url: string }>,
    private readonly clock: Clock,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    for (const target of this.targets) {
      this.changes.set(target.name, []);
      this.loops.push(this.poll(target));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async poll(target: { name: string; url: string }): Promise<void> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const list = this.changes.get(target.name)!;
    while (!this.stopping) {
      const t = this.clock.now();
      const r = await request(agent, `${target.url}/health/ready`, 'GET', undefined, {}, 5000);
      const detail = r.status === 0 ? (r.error ?? 'no answer') : r.status === 200 ? 'ready' : notReady(r.body);
      const last = list.at(-1);
      if (!last || last.status !== r.status) list.push({ t, status: r.status, detail });
      await sleep(this.intervalMs);
    }
    agent.destroy();
  }

  /** "200 → 503 at 4.1 s (redis: …) → 200 at 9.3 s" */
  describe(name: string): string {
    const list = this.changes.get(name) ?? [];
    return list.map((c, i) => (i === 0 ? `${c.status}` : `${c.status} at ${c.t.toFixed(1)} s${c.status === 200 ? '' : ` (${c.detail})`}`)).join(' → ');
  }

  /** Whether it answered non-200 at some point after `from`, and 200 last. */
  wentDownAndUp(name: string, from: number): { down: boolean; upAgain: boolean; downAt?: number; upAt?: number } {
    const list = this.changes.get(name) ?? [];
    const down = list.find((c) => c.t >= from - 0.5 && c.status !== 200);
    const last = list.at(-1);
    const up = down ? list.find((c) => c.t > down.t && c.status === 200) : undefined;
    return { down: !!down, upAgain: last?.status === 200, downAt: down?.t, upAt: up?.t };
  }
}

function notReady(body: unknown): string {
  if (!body || typeof body !== 'object') return String(body).slice(0, 120);
  const b = body as Record<string, unknown>;
  const checks = (b.checks ?? b.details ?? b) as Record<string, unknown>;
  const failing = Object.entries(checks)
    .filter(([, v]) => v && typeof v === 'object' && (v as { ok?: boolean }).ok === false)
    .map(([k, v]) => `${k}: ${String((v as { error?: string }).error ?? 'down').slice(0, 60)}`);
  return failing.length ? failing.join('; ') : JSON.stringify(body).slice(0, 120);
}
