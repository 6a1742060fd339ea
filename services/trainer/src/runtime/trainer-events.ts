/** What the PyTorch runtime prints, one JSON object per line on stdout. */
export type TrainerEvent =
  | { event: 'check'; python: string; torch: string; cuda: boolean; device_name: string | null }
  | { event: 'start'; device: string; dtype: string; params: number; max_steps: number; resumed_from: number | null; torch: string }
  | { event: 'resume'; step: number }
  | { event: 'step'; step: number; max_steps: number; loss: number; lr: number; tokens_per_s: number; eta_s: number | null; mfu: number | null }
  | { event: 'eval'; step: number; train_loss: number; val_loss: number; val_ppl: number }
  | { event: 'checkpoint'; step: number; path: string }
  | { event: 'done'; step: number; val_loss: number; val_ppl: number; train_loss: number; tokens_per_s: number; tokens_seen: number; seconds: number }
  | { event: 'exported'; path: string; bytes: number }
  | { event: 'quantized'; bytes_in: number; bytes_out: number; matmuls: number }
  | { event: 'evaluated'; val_loss: number; val_ppl: number; tokens: number }
  | { event: 'error'; reason: string; code: string }
  | { event: string; [key: string]: unknown };
