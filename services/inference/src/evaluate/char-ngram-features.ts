/** Features are hashed into 2^18 slots: room for a corpus's 1- to 4-grams with few collisions. */
export const CHAR_NGRAM_FEATURE_BITS = 18;

const MASK = (1 << CHAR_NGRAM_FEATURE_BITS) - 1;
const MAX_N = 4;
// Marks for where a text begins and ends, so that "starts with @" and "ends in …" are n-grams too.
const START = 0x02;
const END = 0x03;

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/**
 * A text's character 1- to 4-grams (by code point, case kept: capitals are part of a style),
 * hashed into 2^18 slots, each count n weighted 1 + ln n so that one repeated letter cannot
 * swamp the rest, then scaled to unit length so that long and short tweets weigh alike.
 */
export function charNgramFeatures(text: string): SparseVector {
  const codes = [START];
  for (const char of text) codes.push(char.codePointAt(0)!);
  codes.push(END);

  const slots = new Int32Array(codes.length * MAX_N);
  let count = 0;
  for (let i = 0; i < codes.length; i++) {
    // FNV-1a over the n-gram, extended one character at a time, then murmur3's final mix so
    // that the low bits kept by the mask depend on every character.
    let h = 0x811c9dc5;
    for (let n = 0; n < MAX_N && i + n < codes.length; n++) {
      h = Math.imul(h ^ codes[i + n]!, 0x01000193);
      let m = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      m = Math.imul(m ^ (m >>> 13), 0xc2b2ae35);
      slots[count++] = (m ^ (m >>> 16)) & MASK;
    }
  }
  const sorted = slots.subarray(0, count).sort();

  const indices = new Int32Array(count);
  const values = new Float32Array(count);
  let size = 0;
  let sumSquares = 0;
  for (let i = 0; i < count; ) {
    let j = i + 1;
    while (j < count && sorted[j] === sorted[i]) j++;
    const value = 1 + Math.log(j - i);
    indices[size] = sorted[i]!;
    values[size++] = value;
    sumSquares += value * value;
    i = j;
  }
  const scale = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < size; i++) values[i]! *= scale;
  return { indices: indices.slice(0, size), values: values.slice(0, size) };
}
