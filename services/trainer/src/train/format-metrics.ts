import type { ModelVersionRow } from '@ttt/db';
import type { ModelMetrics } from './train-model.js';

/** A trained version's figures for a person. */
export function formatMetrics(v: ModelVersionRow, m: ModelMetrics): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  return [
    `model version ${v.id}: ${v.category ?? 'base'} v${v.version} → ${v.artifactUri}`,
    `  ${m.params.toLocaleString('en-US')} parameters on ${m.device}; ${m.steps} steps, ${m.tokensSeen.toLocaleString('en-US')} tokens in ${m.seconds.toFixed(0)} s (${Math.round(m.tokensPerSecond).toLocaleString('en-US')} tokens/s)`,
    `  validation loss ${m.valLoss.toFixed(4)} (perplexity ${m.valPerplexity.toFixed(1)}); train loss ${m.trainLoss.toFixed(4)}`,
    `  on ${m.onnx.evalTokens.toLocaleString('en-US')} validation tokens: PyTorch ${m.onnx.torchValLoss.toFixed(4)}, ONNX fp32 ${m.onnx.fp32ValLoss.toFixed(4)} (${mb(m.onnx.fp32Bytes)}), ` +
      `int8 ${m.onnx.int8ValLoss.toFixed(4)} (${mb(m.onnx.int8Bytes)}); same next token ${(m.onnx.nextTokenAgreement * 100).toFixed(1)}%`,
  ].join('\n');
}
