import { z } from 'zod';

export const newRoundBody = z.strictObject({
  category: z.string({ error: 'expected an edition slug such as "vc"' }).min(1).max(64),
});

export const guessBody = z.strictObject({
  guess: z.enum(['human', 'machine'], { error: 'expected "human" or "machine"' }),
});

/** Round ids are 16 random bytes in base64url: anything else cannot name a round. */
export const ROUND_ID = /^[A-Za-z0-9_-]{22}$/;
