/** What a trained version's row records, and `GET /v1/models` will show. */
export interface ModelMetrics {
  valLoss: number;
  valPerplexity: number;
  trainLoss: number;
  steps: number;
  tokensSeen: number;
  tokensPerSecond: number;
  seconds: number;
  device: string;
  params: number;
  /** Loss at the first logged step of the last attempt, and the step it resumed from (if it did). */
  firstLoss: number | null;
  resumedFrom: number | null;
  /** fp32 and int8 ONNX scored by onnxruntime, and PyTorch, on the same validation windows. */
  onnx: { torchValLoss: number; fp32ValLoss: number; int8ValLoss: number; nextTokenAgreement: number; evalTokens: number; fp32Bytes: number; int8Bytes: number };
}
