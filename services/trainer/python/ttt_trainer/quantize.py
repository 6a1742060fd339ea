"""`quantize --in model.onnx --out model_quantized.onnx`: int8 weights for every constant MatMul.

Each MatMul (or Gemm) whose B is a constant 2-D float weight becomes onnxruntime's
com.microsoft.MatMulNBits with 8-bit weights in blocks of 32 along K, one scale per block,
computed with int8 activations quantized per row and block (accuracy_level 4). Per-row
activation scales keep a sequence's result independent of the others in its batch, which
DynamicQuantizeMatMul's one scale per tensor did not: a server batching requests would give a
seeded request different tokens depending on who else was in the batch. Everything else
(embedding Gather, LayerNorm, attention) stays fp32.
"""
import os

import numpy as np

from .events import bad_input, emit
from .runtime import import_onnx

MS_DOMAIN = "com.microsoft"
# 7-bit magnitudes: onnxruntime's AVX2 (non-VNNI) int8 kernels add pairs of uint8*int8
# products in int16, which saturates past 2*255*63. With the full +-127 range a trained
# tiny model lost 0.06 nats of validation loss; with +-63 it lost 0.0003 (same speed).
QMAX = {8: 63, 4: 7}
BLOCK = 32
ACCURACY_LEVEL = 4  # int8 compute


def quantize_blocks(w, bits=8):
    """MatMulNBits' layout for W [K, N]: [N, K/BLOCK, BLOCK*bits/8] bytes (zero point 2^(bits-1)) and scales [N * K/BLOCK].

    4-bit values pack two to a byte, the lower index in the low nibble."""
    k, n = w.shape
    blocks = -(-k // BLOCK)
    padded = np.zeros((blocks * BLOCK, n), dtype=np.float32)
    padded[:k] = w
    wb = padded.T.reshape(n, blocks, BLOCK)
    qmax = QMAX[bits]
    scale = np.abs(wb).max(axis=2) / qmax
    scale[scale == 0] = 1.0  # an all-zero block would otherwise divide by zero
    q = (np.clip(np.rint(wb / scale[..., None]), -qmax, qmax).astype(np.int16) + (1 << (bits - 1))).astype(np.uint8)
    if bits == 4:
        q = q[..., 0::2] | (q[..., 1::2] << 4)
    return q, scale.reshape(-1).astype(np.float32)


def _constant_weight(name, inits, producers):
    """The 2-D float array feeding `name`, seen through a Transpose(perm=[1,0]) of an initializer."""
    from onnx import numpy_helper

    if name in inits:
        arr = numpy_helper.to_array(inits[name])
    elif name in producers and producers[name].op_type == "Transpose" and producers[name].input[0] in inits:
        node = producers[name]
        perm = [list(a.ints) for a in node.attribute if a.name == "perm"]
        if perm and perm[0] != [1, 0]:
            return None
        arr = numpy_helper.to_array(inits[node.input[0]]).T
    else:
        return None
    if arr.ndim != 2 or arr.dtype != np.float32:
        return None
    return arr


def _gemm_attrs(node):
    from onnx import helper

    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _prune(graph):
    """Drop nodes and initializers nothing uses any more (the old fp32 weights, their Transposes)."""
    outputs = {o.name for o in graph.output}
    while True:
        used = {i for n in graph.node for i in n.input} | outputs
        dead = [n for n in graph.node if not any(o in used for o in n.output)]
        if not dead:
            break
        for n in dead:
            graph.node.remove(n)
    used = {i for n in graph.node for i in n.input} | outputs
    for init in [i for i in graph.initializer if i.name not in used]:
        graph.initializer.remove(init)


def quantize_model(model, bits=8):
    from onnx import helper, numpy_helper

    g = model.graph
    inits = {i.name: i for i in g.initializer}
    producers = {o: n for n in g.node for o in n.output}
    new_inits = []
    count = 0
    for node in list(g.node):
        if node.op_type not in ("MatMul", "Gemm"):
            continue
        bias = None
        w = _constant_weight(node.input[1], inits, producers)
        if w is None:
            continue
        if node.op_type == "Gemm":
            attrs = _gemm_attrs(node)
            if attrs.get("transA", 0) or attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0:
                continue
            if attrs.get("transB", 0):
                w = w.T
            if len(node.input) > 2 and node.input[2]:
                bias = node.input[2]
        q, scale = quantize_blocks(w, bits)
        k, n = w.shape
        base = f"{node.name or node.output[0]}_q{count}".replace("/", "_")
        new_inits += [numpy_helper.from_array(q, base + "_B"), numpy_helper.from_array(scale, base + "_scale")]
        out = base + "_out" if bias else node.output[0]
        qnodes = [helper.make_node("MatMulNBits", [node.input[0], base + "_B", base + "_scale"], [out], name=base,
                                   domain=MS_DOMAIN, K=k, N=n, bits=bits, block_size=BLOCK, accuracy_level=ACCURACY_LEVEL)]
        if bias:
            qnodes.append(helper.make_node("Add", [out, bias], [node.output[0]], name=base + "_bias"))
        pos = list(g.node).index(node)
        g.node.remove(node)
        for i, qn in enumerate(qnodes):
            g.node.insert(pos + i, qn)
        count += 1
    g.initializer.extend(new_inits)
    _prune(g)
    if count and not any(o.domain == MS_DOMAIN for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    return count


def quantize(src, dst, bits=8):
    onnx = import_onnx()

    if not os.path.isfile(src):
        raise bad_input(f"{src} does not exist")
    try:
        model = onnx.load(src)
    except Exception as exc:
        raise bad_input(f"{src} is not a readable ONNX model ({exc})")
    if bits not in QMAX:
        raise bad_input(f"bits must be 8 or 4, not {bits}")
    count = quantize_model(model, bits)
    if count == 0:
        raise bad_input(f"{src} has no MatMul/Gemm with a constant 2-D float weight to quantize")
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    tmp = dst + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, dst)
    emit("quantized", bits=bits, bytes_in=os.path.getsize(src), bytes_out=os.path.getsize(dst), matmuls=count)
    return count
