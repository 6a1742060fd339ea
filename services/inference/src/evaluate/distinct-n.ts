/**
 * Distinct-n (Li et al. 2016): distinct word n-grams over all word n-grams, across every text.
 * A model that says the same things in sample after sample scores low even when each sample
 * reads well alone. N-grams stay within a text: the last words of one and the first of the next
 * were never written together. 0 when there are no n-grams at all.
 */
export function distinctN(texts: readonly string[], n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`distinct-n needs a whole n ≥ 1, not ${n}`);
  const seen = new Set<string>();
  let total = 0;
  for (const text of texts) {
    const words = text.toLowerCase().split(/\s+/).filter((word) => word !== '');
    // Words hold no whitespace, so joining on a space cannot make two n-grams alike.
    for (let i = 0; i + n <= words.length; i++, total++) seen.add(words.slice(i, i + n).join(' '));
  }
  return total === 0 ? 0 : seen.size / total;
}
