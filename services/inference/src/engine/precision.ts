/**
 * int8: onnx/model_quantized.onnx (8-bit weight blocks); int4: onnx/model_q4.onnx (4-bit, ~1.4×
 * faster for one stream, a little less accurate); fp32: onnx/model.onnx.
 */
export type Precision = 'int8' | 'int4' | 'fp32';

export const MODEL_FILE: Record<Precision, string> = {
  int8: 'onnx/model_quantized.onnx',
  int4: 'onnx/model_q4.onnx',
  fp32: 'onnx/model.onnx',
};
