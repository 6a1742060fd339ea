export interface KsResult {
  /** The largest gap between the two empirical distribution functions. */
  d: number;
  /** The chance of a gap at least this large if both samples came from one distribution. */
  p: number;
}

/**
 * The two-sample Kolmogorov–Smirnov test, with the asymptotic p-value (Numerical Recipes'
 * small-sample correction), as scipy.stats.ks_2samp(method='asymp') computes it.
 */
export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  if (a.length === 0 || b.length === 0) throw new Error('ksTwoSample: both samples need values');
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  const en = Math.sqrt((x.length * y.length) / (x.length + y.length));
  return { d, p: kolmogorovQ((en + 0.12 + 0.11 / en) * d) };
}

/** P(K > lambda) for the Kolmogorov distribution. */
function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
