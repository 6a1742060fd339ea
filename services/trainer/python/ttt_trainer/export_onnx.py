"""`export --weights DIR --out DIR`: a transformers.js-loadable GPT-2 folder with onnx/model.onnx (fp32).

The graph has the inputs and outputs transformers.js expects from Optimum's
"text-generation-with-past" exports, so its generation loop drives it unchanged.
"""
import inspect
import json
import os
import warnings

import torch
import torch.nn as nn

from .events import emit
from .hf_weights import config_to_hf, load_hf_folder
from .model import GPT2_EOS
from .runtime import import_onnx

OPSET = 17  # the newest torch 1.13 can write; onnxruntime-node 1.x runs it
NEXT_TOP_K = 64


class OnnxGPT(nn.Module):
    """Flat tensors in and out, since the exporter names each one."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, _, presents = self.model(
            input_ids, past_key_values=past, attention_mask=attention_mask, position_ids=position_ids
        )
        # The keys and values of this call's tokens alone: a server that keeps its own cache
        # reads these few rows instead of copying the whole grown cache out at every step.
        t = input_ids.size(1)
        news = [x[:, :, -t:, :] for kv in presents for x in kv]
        # The best next tokens after the last position: a server sampling with top-k can read
        # these few instead of copying the whole vocabulary's logits out for every sequence.
        top_logits, top_ids = torch.topk(logits[:, -1, :], NEXT_TOP_K, dim=-1)
        return (logits, *[t for kv in presents for t in kv], *news, top_logits, top_ids)


def io_names(n_layer):
    past = [f"past_key_values.{i}.{kv}" for i in range(n_layer) for kv in ("key", "value")]
    present = [f"present.{i}.{kv}" for i in range(n_layer) for kv in ("key", "value")]
    # Not `present.*`: transformers.js treats every output so named as cache to feed back.
    new = [f"new_key_values.{i}.{kv}" for i in range(n_layer) for kv in ("key", "value")]
    inputs = ["input_ids", "attention_mask", "position_ids", *past]
    outputs = ["logits", *present, *new, "next_top_logits", "next_top_ids"]
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for name in past:
        axes[name] = {0: "batch_size", 2: "past_sequence_length"}
    for name in present:
        axes[name] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
    for name in new:
        axes[name] = {0: "batch_size", 2: "sequence_length"}
    axes["next_top_logits"] = {0: "batch_size"}
    axes["next_top_ids"] = {0: "batch_size"}
    return inputs, outputs, axes


def retie_embedding(path):
    """Store the tied lm_head once.

    Constant folding turns `wte.T` into a second [n_embd, vocab] initializer, doubling
    the file for small models. Put back a Transpose of the embedding instead; onnxruntime
    folds it again at load time, in memory only.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    m = onnx.load(path)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    gather_tables = {n.input[0] for n in g.node if n.op_type == "Gather" and n.input[0] in inits}
    changed = False
    for node in g.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        b = inits[node.input[1]]
        if len(b.dims) != 2:
            continue
        for table in gather_tables:
            t = inits[table]
            if list(t.dims) != list(b.dims)[::-1]:
                continue
            if np.array_equal(numpy_helper.to_array(t).T, numpy_helper.to_array(b)):
                out = table + "_transposed"
                g.node.insert(0, helper.make_node("Transpose", [table], [out], perm=[1, 0], name="lm_head_transpose"))
                old = node.input[1]
                node.input[1] = out
                if not any(old in n.input for n in g.node):
                    g.initializer.remove(b)
                changed = True
                break
    if changed:
        onnx.save(m, path)
    return changed


def export(weights, out_dir, opset=OPSET):
    import_onnx()  # the export itself only needs torch, but retying the embedding needs onnx
    model = load_hf_folder(weights)
    for block in model.transformer.h:
        block.attn.fused = False  # trace the explicit masked softmax, not a fused kernel
    c = model.config
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump({**config_to_hf(c), "use_cache": True}, f, indent=2)
    with open(os.path.join(out_dir, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": GPT2_EOS, "eos_token_id": GPT2_EOS, "do_sample": True,
                   "max_length": c.block_size, "_from_model_config": True}, f, indent=2)

    # Nonzero dummy lengths: the tracer must not specialise on 0 or 1; dynamic axes cover the rest.
    B, T, P = 2, 3, 4
    hd = c.n_embd // c.n_head
    ids = torch.randint(0, c.vocab_size, (B, T))
    mask = torch.ones(B, P + T, dtype=torch.long)
    pos = torch.arange(P, P + T).unsqueeze(0).expand(B, T).contiguous()
    past = [torch.zeros(B, c.n_head, P, hd) for _ in range(2 * c.n_layer)]
    inputs, outputs, axes = io_names(c.n_layer)
    path = os.path.join(out_dir, "onnx", "model.onnx")
    tmp = path + ".tmp"
    kwargs = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the TorchScript exporter is the one whose axis naming this relies on
    with torch.no_grad(), warnings.catch_warnings():
        # The tracer warns about Python ints taken from shapes; those are n_embd/head sizes, fixed per model.
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        torch.onnx.export(OnnxGPT(model).eval(), (ids, mask, pos, *past), tmp, input_names=inputs,
                          output_names=outputs, dynamic_axes=axes, opset_version=opset, do_constant_folding=True,
                          **kwargs)
    retie_embedding(tmp)
    os.replace(tmp, path)
    size = os.path.getsize(path)
    emit("exported", path=path, bytes=size)
    return path
