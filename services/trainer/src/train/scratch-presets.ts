import { TrainInputError } from './train-input-error.js';

/**
 * Named model shapes for `base: {kind: "scratch", config: {preset}}`; explicit keys override.
 * `small` is what a 2-core CPU trains in minutes; `gpt2` is GPT-2 124M, for a GPU node.
 */
export const SCRATCH_PRESETS: Record<string, Record<string, number>> = {
  tiny: { n_layer: 2, n_head: 2, n_embd: 64, block_size: 64 },
  small: { n_layer: 4, n_head: 4, n_embd: 128, block_size: 128 },
  gpt2: { n_layer: 12, n_head: 12, n_embd: 768, block_size: 1024 },
};

export function scratchConfig(config: Record<string, unknown>): Record<string, unknown> {
  const { preset, ...explicit } = config;
  if (preset === undefined) return explicit;
  const shape = typeof preset === 'string' ? SCRATCH_PRESETS[preset] : undefined;
  if (!shape) throw new TrainInputError(`unknown model preset "${String(preset)}" (known: ${Object.keys(SCRATCH_PRESETS).join(', ')})`);
  return { ...shape, ...explicit };
}
