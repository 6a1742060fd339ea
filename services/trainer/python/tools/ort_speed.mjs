// Decode speed of an exported model in onnxruntime-node: a prompt with empty past, then cached single-token steps.
// Usage: node tools/ort_speed.mjs <model.onnx> <n_layer> <n_head> <head_dim> [prompt=64] [steps=32]
import ort from "onnxruntime-node";
const [path, nLayer, nHead, hd, prompt = "64", steps = "32"] = process.argv.slice(2);
const s = await ort.InferenceSession.create(path, { intraOpNumThreads: 2 });
const i64 = (a, dims) => new ort.Tensor("int64", BigInt64Array.from(a.map(BigInt)), dims);
const empty = () => { const f = {}; for (let i = 0; i < +nLayer; i++) for (const kv of ["key", "value"]) f[`past_key_values.${i}.${kv}`] = new ort.Tensor("float32", new Float32Array(0), [1, +nHead, 0, +hd]); return f; };
async function run() {
  const P = +prompt; const ids = Array.from({ length: P }, (_, j) => (j * 97) % 50000);
  let t0 = performance.now();
  let out = await s.run({ input_ids: i64(ids, [1, P]), attention_mask: i64(ids.map(() => 1), [1, P]), position_ids: i64(ids.map((_, j) => j), [1, P]), ...empty() });
  const tPrompt = performance.now() - t0; t0 = performance.now();
  for (let k = 0; k < +steps; k++) {
    const past = {}; for (let i = 0; i < +nLayer; i++) for (const kv of ["key", "value"]) past[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`];
    out = await s.run({ input_ids: i64([5], [1, 1]), attention_mask: i64(Array(P + k + 1).fill(1), [1, P + k + 1]), position_ids: i64([P + k], [1, 1]), ...past });
  }
  return [tPrompt, (performance.now() - t0) / +steps];
}
await run(); const r = [];
for (let i = 0; i < 3; i++) r.push(await run());
r.sort((a, b) => a[1] - b[1]);
console.log(JSON.stringify({ path: path.split("/").slice(-3).join("/"), prompt_ms: +r[1][0].toFixed(1), decode_ms_per_token: +r[1][1].toFixed(2) }));
