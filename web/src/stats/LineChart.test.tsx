import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DailyModelStats } from '../api/types';
import { LineChart } from './LineChart';
import { foolRateSeries } from './series';

const row = (day: string, category: string, version: number, versionId: number, fooled: number): DailyModelStats => ({
  day,
  category,
  version,
  versionId,
  guesses: 10,
  fooled,
  foolRate: fooled / 10,
});

describe('the fool-rate line chart', () => {
  it('draws one line per model version, through its days in order', () => {
    const series = foolRateSeries([row('2026-11-29', 'vc', 3, 12, 4), row('2026-11-28', 'vc', 3, 12, 2), row('2026-11-28', 'vc', 2, 9, 5), row('2026-11-29', 'covid', 1, 4, 6)]);
    render(<LineChart title="Fool rate" series={series} testId="stats-chart-fool-rate" yLabel="Fool rate" />);

    const svg = screen.getByTestId('stats-chart-fool-rate');
    const lines = svg.querySelectorAll('path.chart__line');
    expect(lines).toHaveLength(3);
    expect(series.map((s) => s.label)).toEqual(['covid v1', 'vc v2', 'vc v3']);
    // vc v3 rises from 20 % to 40 %: its second point sits higher (smaller y) than its first.
    const [, y1, , y2] = lines[2]!.getAttribute('d')!.match(/[\d.]+/g)!.map(Number);
    expect(y2!).toBeLessThan(y1!);
    expect(svg.getAttribute('role')).toBe('img');
    expect(screen.getByRole('img', { name: /Fool rate.*3 model versions/ })).toBe(svg);
    expect(screen.getByRole('list', { name: 'Legend' }).children).toHaveLength(3);
  });

  it('says so when there is nothing to draw', () => {
    render(<LineChart title="Fool rate" series={[]} testId="chart" yLabel="Fool rate" />);
    expect(screen.getByTestId('chart').textContent).toContain('No guesses yet');
    expect(screen.getByTestId('chart').querySelectorAll('path')).toHaveLength(0);
  });
});
