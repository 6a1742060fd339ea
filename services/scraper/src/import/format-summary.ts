import type { ImportSummary } from '@ttt/contracts';

const n = (x: number) => x.toLocaleString('en-US');

/** The import's closing report, for a person reading a terminal. */
export function formatSummary(s: ImportSummary): string {
  const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
  const lines = [
    `category ${s.category}: read ${n(s.read)} lines in ${s.seconds.toFixed(1)} s (${n(Math.round(s.read / Math.max(s.seconds, 1e-3)))} lines/s)`,
    `  inserted           ${n(s.inserted)}`,
    `  linked to category ${n(s.linkedToCategory)}  (stored already under another category)`,
    `  already present    ${n(s.alreadyPresent)}`,
    `  rejected           ${n(rejected)}`,
    ...Object.entries(s.rejected).map(([reason, count]) => `    ${reason.padEnd(16)} ${n(count)}`),
  ];
  if (s.rejections.length) {
    lines.push(`  rejected lines${s.rejections.length < rejected ? ` (first ${s.rejections.length})` : ''}:`);
    for (const r of s.rejections) lines.push(`    ${r.source}:${r.line}  ${r.reason}`);
  }
  return lines.join('\n');
}
