import type { DailyModelStats } from '../api/types';

export interface Point {
  day: string;
  value: number;
  /** What the point is made of, for its tooltip. */
  detail: string;
}

export interface Series {
  key: string;
  label: string;
  points: Point[];
}

/** `YYYY-MM-DD`, also from a full ISO timestamp (a date column serialised as a Date). */
export const dayOf = (day: string) => String(day).slice(0, 10);

/** One series per model version, its days in order. */
export function foolRateSeries(modelDaily: DailyModelStats[]): Series[] {
  const byVersion = new Map<number, Series>();
  for (const row of modelDaily) {
    let series = byVersion.get(row.versionId);
    if (!series) {
      series = { key: String(row.versionId), label: `${row.category} v${row.version}`, points: [] };
      byVersion.set(row.versionId, series);
    }
    // Number(): Postgres numerics and bigints arrive as strings unless the server converts them.
    series.points.push({ day: dayOf(row.day), value: Number(row.foolRate), detail: `${row.fooled} of ${row.guesses} guesses fooled` });
  }
  const all = [...byVersion.values()];
  for (const s of all) s.points.sort((a, b) => a.day.localeCompare(b.day));
  return all.sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
}
