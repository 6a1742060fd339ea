import type pg from 'pg';
import type { GameLoad, Sample } from './load.js';

export interface DrillResult {
  name: string;
  title: string;
  pass: boolean;
  /** Why it failed (empty when it passed). */
  failures: string[];
  lines: string[];
  seconds: number;
}

/** Collects a drill's figures and its checks; a failed check makes the drill FAIL with its reason. */
export class Report {
  readonly lines: string[] = [];
  readonly failures: string[] = [];

  line(text: string): void {
    this.lines.push(text);
  }

  check(ok: boolean, what: string): boolean {
    if (!ok) this.failures.push(what);
    return ok;
  }
}

export function pct(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const ms = (v: number) => (Number.isFinite(v) ? (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`) : '–');
/** A time relative to an event: "+0.18 s", "-0.26 s", "–". */
export const rel = (v: number | undefined, from: number) => (v === undefined || !Number.isFinite(v - from) ? '–' : `${v - from >= 0 ? '+' : ''}${(v - from).toFixed(2)} s`);
export const sec = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? '–' : `${v.toFixed(1)} s`);

function byStatus(samples: Sample[]): string {
  const counts = new Map<number, number>();
  for (const s of samples) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([status, n]) => `${status === 0 ? 'no answer' : status}: ${n}`)
    .join(', ');
}

/** "rounds: 812 requests (201: 800, 503: 12), p50 3.1 ms, p99 41 ms, max 1.2 s" */
export function loadLine(label: string, samples: Sample[]): string {
  const lat = samples.map((s) => s.ms);
  return `${label}: ${samples.length} requests (${byStatus(samples) || 'none'}), p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))}, max ${ms(lat.length ? Math.max(...lat) : Number.NaN)}`;
}

/** The distinct messages of failed answers, with how many and their Retry-After. */
export function failureMessages(samples: Sample[], limit = 4): string[] {
  const groups = new Map<string, { n: number; retryAfter: Set<string> }>();
  for (const s of samples) {
    if (s.status >= 200 && s.status < 300) continue;
    const key = `${s.kind} ${s.status === 0 ? 'no answer' : s.status}: ${s.message ?? ''}`;
    const g = groups.get(key) ?? { n: 0, retryAfter: new Set<string>() };
    g.n++;
    g.retryAfter.add(s.retryAfter ?? 'none');
    groups.set(key, g);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, limit)
    .map(([key, g]) => `${g.n} × ${key} (Retry-After: ${[...g.retryAfter].join('/')})`);
}

/** Failed answers that are not a clear "try again": a 5xx other than 503, no answer, or a 503 without message or Retry-After. */
export function unclearFailures(samples: Sample[]): Sample[] {
  return samples.filter((s) => {
    if (s.status >= 200 && s.status < 500) return false;
    if (s.status === 503) return !s.message || !s.retryAfter;
    return true;
  });
}

export interface GuessAudit {
  sent: number;
  rounds: number;
  acknowledged: number;
  stored: number;
  lost: string[];
  storedBeforeRetry: number;
  gaveUp: number;
  /** Gave up (every attempt failed), yet stored: the player was told it failed. */
  phantom: number;
  retried: number;
}

/**
 * Every round whose guess was answered 200 must be in `guesses` with that guess; rounds whose
 * guess was refused in the end must not be (or are counted as stored-but-refused).
 */
export async function auditGuesses(db: pg.Pool, load: GameLoad): Promise<GuessAudit> {
  const records = [...load.rounds.values()];
  const ids = records.map((r) => r.id);
  const stored = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 5000) {
    const { rows } = await db.query('SELECT round_id, guess FROM guesses WHERE round_id = ANY($1::text[])', [ids.slice(i, i + 5000)]);
    for (const r of rows) stored.set(r.round_id, r.guess);
  }
  const acknowledged = records.filter((r) => r.acknowledged || r.storedBeforeRetry);
  const lost = acknowledged.filter((r) => stored.get(r.id) !== r.guess).map((r) => r.id);
  const gaveUp = records.filter((r) => r.gaveUp);
  return {
    sent: records.reduce((n, r) => n + r.attempts.length, 0),
    rounds: records.length,
    acknowledged: acknowledged.length,
    stored: acknowledged.length - lost.length,
    lost,
    storedBeforeRetry: records.filter((r) => r.storedBeforeRetry).length,
    gaveUp: gaveUp.length,
    phantom: gaveUp.filter((r) => stored.has(r.id)).length,
    retried: records.filter((r) => r.attempts.length > 1).length,
  };
}

export function guessLine(a: GuessAudit): string {
  return (
    `guesses: ${a.sent} sent for ${a.rounds} rounds (${a.retried} rounds retried), ${a.acknowledged} acknowledged ` +
    `(${a.storedBeforeRetry} of them as 409 on a retry: stored though the first answer failed), ${a.stored} stored, ${a.lost.length} lost, ` +
    `${a.gaveUp} refused in the end${a.phantom ? ` (${a.phantom} of those stored anyway)` : ''}`
  );
}

/**
 * When the load came back after an outage: the first round and the first guess answered 2xx
 * that were sent after `from`, and the last failed answer.
 */
export function recovery(samples: Sample[], from: number): { round?: number; guess?: number; lastFailure?: number; firstFailure?: number } {
  const ok = (s: Sample) => s.status >= 200 && s.status < 300;
  const firstOk = (kind: Sample['kind']) => samples.filter((s) => s.kind === kind && s.t >= from && ok(s)).sort((a, b) => a.end - b.end)[0]?.end;
  const failed = samples.filter((s) => !ok(s) && (s.kind === 'round' || s.kind === 'guess'));
  return {
    round: firstOk('round'),
    guess: firstOk('guess'),
    firstFailure: failed.length ? Math.min(...failed.map((s) => s.end)) : undefined,
    lastFailure: failed.length ? Math.max(...failed.map((s) => s.end)) : undefined,
  };
}
