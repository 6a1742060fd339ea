import json
import os
import unittest

import onnx

from helpers import tiny_model
from ttt_trainer.export_onnx import export
from ttt_trainer.hf_weights import save_hf_folder
from ttt_trainer.quantize import quantize


class OnnxExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile

        cls._tmp = tempfile.TemporaryDirectory()
        d = cls._tmp.name
        weights = os.path.join(d, "weights")
        save_hf_folder(tiny_model(), weights)
        cls.out = os.path.join(d, "model")
        cls.fp32 = export(weights, cls.out)
        cls.int8 = os.path.join(cls.out, "onnx", "model_quantized.onnx")
        cls.count = quantize(cls.fp32, cls.int8)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_fp32_graph_is_valid_with_transformers_js_names(self):
        m = onnx.load(self.fp32)
        onnx.checker.check_model(m)
        inputs = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in m.graph.input}
        outputs = {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in m.graph.output}
        self.assertEqual(inputs["input_ids"], ["batch_size", "sequence_length"])
        self.assertEqual(inputs["attention_mask"], ["batch_size", "total_sequence_length"])
        self.assertEqual(inputs["position_ids"], ["batch_size", "sequence_length"])
        self.assertEqual(inputs["past_key_values.1.value"], ["batch_size", 2, "past_sequence_length", 16])
        self.assertEqual(outputs["logits"], ["batch_size", "sequence_length", 50257])
        self.assertEqual(outputs["present.0.key"], ["batch_size", 2, "past_sequence_length + sequence_length", 16])
        new = outputs["new_key_values.1.value"]
        self.assertEqual((new[0], new[2]), ("batch_size", "sequence_length"))
        self.assertEqual(outputs["next_top_ids"], ["batch_size", 64])

    def test_tied_embedding_is_stored_once(self):
        m = onnx.load(self.fp32)
        big = [i for i in m.graph.initializer if 50257 in i.dims]
        self.assertEqual(len(big), 1)

    def test_quantized_graph_uses_8bit_block_matmuls(self):
        m = onnx.load(self.int8)
        ops = [n.op_type for n in m.graph.node]
        # 4 linear layers per block plus the tied lm_head
        self.assertEqual(ops.count("MatMulNBits"), 2 * 4 + 1)
        self.assertEqual(self.count, 9)
        self.assertIn("com.microsoft", {o.domain for o in m.opset_import})
        # the lm_head's weight as [N, K/32, 32] bytes, K = n_embd
        packed = [list(i.dims) for i in m.graph.initializer if i.data_type == onnx.TensorProto.UINT8]
        self.assertIn([50257, 1, 32], packed)
        nbits = [n for n in m.graph.node if n.op_type == "MatMulNBits"]
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in nbits[0].attribute}
        self.assertEqual((attrs["bits"], attrs["block_size"], attrs["accuracy_level"]), (8, 32, 4))
        # the fp32 embedding stays for the Gather
        self.assertIn([50257, 32], [list(i.dims) for i in m.graph.initializer if i.data_type == onnx.TensorProto.FLOAT])

    def test_4bit_packs_two_weights_a_byte(self):
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "model_q4.onnx")
            self.assertEqual(quantize(self.fp32, out, bits=4), 9)
            m = onnx.load(out)
            packed = [list(i.dims) for i in m.graph.initializer if i.data_type == onnx.TensorProto.UINT8]
            self.assertIn([50257, 1, 16], packed)
            nbits = [n for n in m.graph.node if n.op_type == "MatMulNBits"]
            self.assertEqual({onnx.helper.get_attribute_value(a) for n in nbits for a in n.attribute if a.name == "bits"}, {4})
            self.assertLess(os.path.getsize(out), os.path.getsize(self.int8))

    def test_generation_config(self):
        with open(os.path.join(self.out, "generation_config.json")) as f:
            gen = json.load(f)
        self.assertEqual((gen["bos_token_id"], gen["eos_token_id"]), (50256, 50256))


if __name__ == "__main__":
    unittest.main()
