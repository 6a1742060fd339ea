/**
 * A 53-bit hash of `words[start..end)` joined by single spaces (cyrb53: two 32-bit
 * multiply-xor lanes, mixed at the end), computed without building the joined string. Sets of
 * these stand in for sets of strings: a number costs a few dozen bytes in a Set where an
 * 8-word string costs a few hundred, and with 2^53 values a false match against a million
 * stored hashes has odds of about 1 in 10^10.
 */
export function hashWords(words: readonly string[], start = 0, end = words.length): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let w = start; w < end; w++) {
    if (w > start) {
      h1 = Math.imul(h1 ^ 0x20, 2654435761);
      h2 = Math.imul(h2 ^ 0x20, 1597334677);
    }
    const word = words[w]!;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 0x1_0000_0000 * (0x1f_ffff & h2) + (h1 >>> 0);
}
