import { formatDay, formatPercent } from '../common/format';
import { ChartFrame } from './ChartFrame';
import { styleAt } from './palette';
import { useWidth } from './useWidth';
import type { Series } from './series';

interface Props {
  title: string;
  series: Series[];
  testId: string;
  yLabel: string;
}

const H = 300;
const M = { top: 16, right: 20, bottom: 52, left: 64 };
const PLOT_H = H - M.top - M.bottom;
const Y_TICKS = [0, 0.25, 0.5, 0.75, 1];
// A day label needs about this much room.
const X_TICK_SPACING = 80;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * A line per series over days, y a share from 0 to 1. Inline SVG that scales with its box;
 * the same numbers are in a table beside it for those who cannot see it.
 */
export function LineChart({ title, series, testId, yLabel }: Props) {
  const [box, width] = useWidth<HTMLDivElement>(640);
  const W = Math.max(300, width);
  const PLOT_W = W - M.left - M.right;
  const days = [...new Set(series.flatMap((s) => s.points.map((p) => p.day)))].sort();
  const first = days.length ? dayNumber(days[0]!) : 0;
  const last = days.length ? dayNumber(days[days.length - 1]!) : 0;
  const x = (day: string) => M.left + (last === first ? PLOT_W / 2 : ((dayNumber(day) - first) / (last - first)) * PLOT_W);
  const y = (v: number) => M.top + (1 - Math.min(1, Math.max(0, v))) * PLOT_H;
  const step = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(PLOT_W / X_TICK_SPACING))));
  const xTicks = days.filter((_, i) => i % step === 0);
  const summary = days.length
    ? `${series.length} model ${series.length === 1 ? 'version' : 'versions'} from ${formatDay(days[0]!)} to ${formatDay(days[days.length - 1]!)}.`
    : 'No guesses yet.';

  const legend = series.length > 0 && (
    <figcaption>
      <ul className="chart__legend" aria-label="Legend">
        {series.map((s, i) => {
          const style = styleAt(i);
          return (
            <li key={s.key}>
              <svg width="28" height="10" aria-hidden="true">
                <line x1="1" x2="27" y1="5" y2="5" stroke={style.colour} strokeWidth="3" strokeDasharray={style.dash || undefined} />
              </svg>
              {s.label}
            </li>
          );
        })}
      </ul>
    </figcaption>
  );

  return (
    <ChartFrame box={box} width={W} height={H} title={title} summary={summary} testId={testId} caption={legend}>
      <g className="chart__grid">
        {Y_TICKS.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end" className="chart__tick">
              {formatPercent(t)}
            </text>
          </g>
        ))}
      </g>
      {xTicks.map((d) => (
        <text key={d} x={x(d)} y={H - M.bottom + 20} textAnchor="middle" className="chart__tick">
          {formatDay(d)}
        </text>
      ))}
      <text x={M.left + PLOT_W / 2} y={H - 6} textAnchor="middle" className="chart__axis-label">
        Day
      </text>
      <text transform={`translate(14 ${M.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle" className="chart__axis-label">
        {yLabel}
      </text>
      {series.map((s, i) => {
        const style = styleAt(i);
        const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.day).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
        return (
          <g key={s.key} className="chart__series">
            <path d={d} className="chart__line" stroke={style.colour} strokeDasharray={style.dash || undefined} data-series={s.key} />
            {s.points.map((p) => (
              <circle key={p.day} cx={x(p.day)} cy={y(p.value)} r={4} fill={style.colour} className="chart__point">
                <title>{`${s.label}, ${formatDay(p.day)}: ${formatPercent(p.value)} (${p.detail})`}</title>
              </circle>
            ))}
          </g>
        );
      })}
      {days.length === 0 && (
        <text x={M.left + PLOT_W / 2} y={M.top + PLOT_H / 2} textAnchor="middle" className="chart__empty">
          No guesses yet
        </text>
      )}
    </ChartFrame>
  );
}
