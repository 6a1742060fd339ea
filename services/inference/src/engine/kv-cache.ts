import * as ort from 'onnxruntime-node';
import type { ModelShape } from './model-shape.js';

// Slots are added in steps of this many: each change of width re-lays out the whole cache, and
// every unused slot costs a little attention at every step.
const SLOT_STEP = 16;

/**
 * The running batch's keys and values, kept in this process between steps: per layer and
 * kind, one buffer laid out [row, head, slot, headDim] with a fixed number of slots. A row's
 * token at position p sits in slot p; slots past a row's length hold leftovers the attention
 * mask hides. The model reads the buffers in place and hands back only the new tokens' keys
 * and values, so a step copies a few kilobytes instead of the whole grown cache.
 */
export class KvCache {
  private buffers: Float32Array[] = [];
  private maxRows = 0;
  /** Slots per row. */
  slots = 0;
  /** Rows in use: the first `rows` rows of every buffer. */
  rows = 0;

  constructor(private readonly shape: ModelShape) {}

  /** Room for `rows` rows of at least `needSlots` slots, keeping what the rows hold. */
  reserve(rows: number, needSlots: number): void {
    let slots = Math.min(this.shape.nPositions, Math.ceil(Math.max(needSlots, 1) / SLOT_STEP) * SLOT_STEP);
    // Shrink only well below the current width, or rows coming and going at a boundary would re-lay out every step.
    if (slots < this.slots && slots > this.slots - 2 * SLOT_STEP) slots = this.slots;
    if (rows <= this.maxRows && slots === this.slots) return;
    const maxRows = Math.max(rows, this.maxRows);
    this.relayout(maxRows, slots);
  }

  /** Appends an empty row; returns its index. */
  addRow(): number {
    if (this.rows >= this.maxRows) this.relayout(Math.max(1, this.maxRows * 2), Math.max(this.slots, SLOT_STEP));
    return this.rows++;
  }

  /** Drops row `i`: the last row moves into its place (the caller renumbers it). */
  removeRow(i: number): void {
    const last = this.rows - 1;
    if (i !== last) {
      const block = this.rowBlock();
      for (const buf of this.buffers) buf.copyWithin(i * block, last * block, (last + 1) * block);
    }
    this.rows--;
  }

  /**
   * Copies keys and values the model produced into a row's slots: `source` holds one tensor per
   * layer and kind, [n, heads, width, headDim]; columns [from, from + count) of row `sourceRow`
   * go to slots [slot, slot + count).
   */
  write(row: number, slot: number, source: Float32Array[], sourceRow: number, width: number, from: number, count: number): void {
    const { nHead, headDim } = this.shape;
    const span = count * headDim;
    for (let t = 0; t < this.buffers.length; t++) {
      const src = source[t]!;
      const dst = this.buffers[t]!;
      for (let h = 0; h < nHead; h++) {
        const at = ((sourceRow * nHead + h) * width + from) * headDim;
        dst.set(src.subarray(at, at + span), ((row * nHead + h) * this.slots + slot) * headDim);
      }
    }
  }

  /** The past the model reads: [rows, heads, slots, headDim] views of the buffers. */
  tensors(): ort.Tensor[] {
    const { nHead, headDim } = this.shape;
    const size = this.rows * this.rowBlock();
    return this.buffers.map((buf) => new ort.Tensor('float32', buf.subarray(0, size), [this.rows, nHead, this.slots, headDim]));
  }

  private rowBlock(): number {
    return this.shape.nHead * this.slots * this.shape.headDim;
  }

  private relayout(maxRows: number, slots: number): void {
    const { nLayer, nHead, headDim } = this.shape;
    const keep = Math.min(slots, this.slots);
    const next = Array.from({ length: 2 * nLayer }, () => new Float32Array(maxRows * nHead * slots * headDim));
    if (keep > 0) {
      for (let t = 0; t < next.length; t++) {
        for (let r = 0; r < this.rows; r++) {
          for (let h = 0; h < nHead; h++) {
            const from = ((r * nHead + h) * this.slots) * headDim;
            next[t]!.set(this.buffers[t]!.subarray(from, from + keep * headDim), ((r * nHead + h) * slots) * headDim);
          }
        }
      }
    }
    this.buffers = next;
    this.maxRows = maxRows;
    this.slots = slots;
  }
}
