import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, GameLoad, ReadyProbe } from './load.js';
import { ENTRY, type Service, startService } from './services.js';
import type { World } from './world.js';

/**
 * inference (one process) and game-api on the drill's stores, a readiness poller on both, and
 * steady players; returns once the load has run a few seconds, so a fault lands on a warm game.
 * Started services go into `services` as they start, so the caller stops them whatever fails.
 */
export async function startGameUnderLoad(world: World, clock: Clock, prefix: string, services: Service[]) {
  const inference = await startService('inference', ENTRY.inference, world.inferenceEnv(prefix, 'all'));
  services.push(inference);
  const game = await startService('game-api', ENTRY.game, world.gameEnv(prefix, inference.url));
  services.push(game);
  const probe = new ReadyProbe([{ name: 'game-api', url: game.url }, { name: 'inference', url: inference.url }], clock);
  probe.start();
  const load = new GameLoad(game.url, clock, { players: 6, categories: ['vc', 'covid19'], thinkMs: 25, retryMs: 250, drainS: 20 });
  const loadFrom = clock.mark('load started');
  load.start();
  await sleep(4000);
  return { inference, game, probe, load, loadFrom };
}
