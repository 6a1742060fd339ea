// Runs an exported model folder in onnxruntime-node the way transformers.js does (empty past
// first, then one token with past) and compares it with tools/parity_case.py's PyTorch logits.
// Usage: node tools/ort_parity.mjs <model dir> <case dir> [<val.bin> <windows> <block>]
// With a token file it also reports each model's mean next-token loss on its first windows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ort from "onnxruntime-node";

const [modelDir, caseDir, valPath, valWindows = "16", valBlock = "64"] = process.argv.slice(2);
const kase = JSON.parse(readFileSync(join(caseDir, "case.json"), "utf8"));
const ref = (name) => new Float32Array(readFileSync(join(caseDir, name)).buffer.slice(0));

const int64 = (rows) =>
  new ort.Tensor("int64", BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);

function emptyPast(batch) {
  const feeds = {};
  for (let i = 0; i < kase.n_layer; i++)
    for (const kv of ["key", "value"])
      feeds[`past_key_values.${i}.${kv}`] = new ort.Tensor("float32", new Float32Array(0), [batch, kase.n_head, 0, kase.head_dim]);
  return feeds;
}

function presentsAsPast(out) {
  const feeds = {};
  for (let i = 0; i < kase.n_layer; i++)
    for (const kv of ["key", "value"]) feeds[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`];
  return feeds;
}

const feedsOf = (step) => ({
  input_ids: int64(step.input_ids),
  attention_mask: int64(step.attention_mask),
  position_ids: int64(step.position_ids),
});

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function lastArgmax(logits, dims) {
  const [B, T, V] = dims;
  const out = [];
  for (let b = 0; b < B; b++) {
    const off = (b * T + T - 1) * V;
    let best = 0;
    for (let v = 1; v < V; v++) if (logits[off + v] > logits[off + best]) best = v;
    out.push(best);
  }
  return out;
}

async function valLoss(session) {
  const bytes = readFileSync(valPath);
  const tokens = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  const T = Number(valBlock);
  let total = 0;
  let count = 0;
  for (let w = 0; w < Number(valWindows); w++) {
    const win = Array.from(tokens.subarray(w * T, w * T + T + 1));
    const out = await session.run({
      input_ids: int64([win.slice(0, T)]),
      attention_mask: int64([win.slice(0, T).map(() => 1)]),
      position_ids: int64([win.slice(0, T).map((_, j) => j)]),
      ...emptyPast(1),
    });
    const V = out.logits.dims[2];
    const l = out.logits.data;
    for (let t = 0; t < T; t++) {
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, l[t * V + v]);
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(l[t * V + v] - max);
      total += Math.log(sum) + max - l[t * V + win[t + 1]];
      count++;
    }
  }
  return total / count;
}

const result = {};
for (const file of ["model.onnx", "model_quantized.onnx"]) {
  const session = await ort.InferenceSession.create(join(modelDir, "onnx", file));
  const batch = kase.step1.input_ids.length;
  const out1 = await session.run({ ...feedsOf(kase.step1), ...emptyPast(batch) });
  const out2 = await session.run({ ...feedsOf(kase.step2), ...presentsAsPast(out1) });
  const r = kase.random.input_ids;
  const outR = await session.run({
    input_ids: int64(r),
    attention_mask: int64(r.map((row) => row.map(() => 1))),
    position_ids: int64(r.map((row) => row.map((_, j) => j))),
    ...emptyPast(r.length),
  });
  const argmax = lastArgmax(outR.logits.data, outR.logits.dims);
  const agree = argmax.filter((v, i) => v === kase.random.argmax_last[i]).length / argmax.length;
  result[file] = {
    logits_dims: out1.logits.dims,
    present_dims: out2["present.0.key"].dims,
    step1_max_abs_diff: maxAbsDiff(out1.logits.data, ref("logits1.f32")),
    step2_max_abs_diff: maxAbsDiff(out2.logits.data, ref("logits2.f32")),
    random_argmax_agreement_with_torch: agree,
  };
  if (valPath) result[file].val_loss = await valLoss(session);
}
console.log(JSON.stringify(result, null, 1));
