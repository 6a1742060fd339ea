/**
 * The PyTorch runtime failed. `retryable` says whether running the same job again can help
 * (a crash or a kill resumes from the checkpoint; bad input, NaN loss or a missing torch do not).
 */
export class PythonRuntimeError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
