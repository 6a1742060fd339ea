import { createHash } from 'node:crypto';

export type Split = 'train' | 'val';

/**
 * A tweet's split from a hash of its platform id alone: rebuilding with more tweets never moves
 * one across, so validation stays unseen by every later model trained on the same seed.
 */
export function splitOf(platform: string, platformId: string, valFraction: number, seed: number): Split {
  const digest = createHash('sha256').update(`${seed}:${platform}:${platformId}`).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < valFraction ? 'val' : 'train';
}
