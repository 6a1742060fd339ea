import { sendRaw } from './http.js';

/**
 * Checks /health and /health/ready between fuzz batches and keeps what failed. Readiness gives
 * each dependency check 2 s: on a crowded machine one may miss once, so each gets two retries.
 */
export function healthWatch(url: string): { check: (sent: number) => Promise<void>; problems: string[] } {
  const problems: string[] = [];
  const check = async (sent: number) => {
    for (const path of ['/health', '/health/ready']) {
      let res = await sendRaw(url, { route: 'health', kind: 'health', method: 'GET', path });
      for (let retry = 0; retry < 2 && res.status !== 200; retry++) {
        await new Promise((r) => setTimeout(r, 500));
        res = await sendRaw(url, { route: 'health', kind: 'health', method: 'GET', path });
      }
      if (res.status !== 200) problems.push(`after ${sent} requests: GET ${path} → ${res.status} ${res.error ?? res.text.slice(0, 200)}`);
    }
  };
  return { check, problems };
}
