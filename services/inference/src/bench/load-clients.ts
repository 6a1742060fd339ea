import { performance } from 'node:perf_hooks';

export interface LoadResult {
  clients: number;
  requests: number;
  errors: number;
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
  p50: number;
  p99: number;
}

/**
 * `clients` clients each sending one generate request after another for `seconds` (and at least
 * `minRounds` requests each), every request asking for exactly `tokens` new tokens.
 */
export async function runClients(url: string, options: { clients: number; seconds: number; minRounds: number; tokens: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let tokens = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let round = 0; performance.now() < end || round < options.minRounds; round++) {
        const t0 = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          // min_length past the end: every request generates exactly `tokens` tokens, as a 40-token tweet.
          body: JSON.stringify({ max_new_tokens: options.tokens, min_length: options.tokens + 1, top_k: 50, seed: client * 1000 + round }),
        });
        if (!res.ok) {
          errors++;
          await res.text();
          continue;
        }
        const body = (await res.json()) as { output: Array<{ generated_tokens: number }> };
        latencies.push(performance.now() - t0);
        tokens += body.output[0]!.generated_tokens;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { clients: options.clients, requests: latencies.length, errors, tokens, seconds, tokensPerSecond: tokens / seconds, p50: at(0.5), p99: at(0.99) };
}
