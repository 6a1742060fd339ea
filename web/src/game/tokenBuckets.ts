// GLTR's bands (Gehrmann et al., 2019): where each token stood in the model's ranking of
// every possible next token, 1 being its top pick.
export type TokenBucket = 'top10' | 'top100' | 'top1000' | 'rest';

export const buckets: { bucket: TokenBucket; label: string }[] = [
  { bucket: 'top10', label: 'Top 10' },
  { bucket: 'top100', label: 'Top 100' },
  { bucket: 'top1000', label: 'Top 1000' },
  { bucket: 'rest', label: 'Beyond' },
];

export function bucketOf(rank: number): TokenBucket {
  if (rank <= 10) return 'top10';
  if (rank <= 100) return 'top100';
  if (rank <= 1000) return 'top1000';
  return 'rest';
}

export function describeToken(rank: number, probability: number): string {
  const p = probability >= 0.001 ? `${(probability * 100).toFixed(probability >= 0.1 ? 0 : 1)}%` : probability.toExponential(1);
  return `Rank ${rank.toLocaleString()} · probability ${p}`;
}
