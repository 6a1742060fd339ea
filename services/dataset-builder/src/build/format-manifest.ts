import type { DatasetManifest } from './build-dataset.js';

const n = (v: number) => v.toLocaleString('en-US');

/** A dataset's counts for a person: what was kept, what each rule dropped, tokens per split. */
export function formatManifest(uri: string, m: DatasetManifest): string {
  const dropped = Object.entries(m.dropped)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason} ${n(count)}`)
    .join(', ');
  return [
    `dataset ${m.datasetId} (${m.category}) → ${uri}`,
    `  tweets: ${n(m.read)} read, ${n(m.kept)} kept${dropped ? `; dropped: ${dropped}` : ''}`,
    `  train: ${n(m.splits.train.tweets)} tweets, ${n(m.splits.train.tokens)} tokens`,
    `  val:   ${n(m.splits.val.tweets)} tweets, ${n(m.splits.val.tokens)} tokens`,
  ].join('\n');
}
