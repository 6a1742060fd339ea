import { formatPercent } from '../common/format';
import { ChartFrame } from './ChartFrame';
import { useWidth } from './useWidth';

export interface Bar {
  key: string;
  label: string;
  value: number;
  detail: string;
}

interface Props {
  title: string;
  bars: Bar[];
  testId: string;
}

const ROW = 40;
const VALUE_W = 64;
const chanceNote = <figcaption className="chart__note">The dashed line marks 50 %, what guessing at random would score.</figcaption>;

/** Horizontal bars of a share from 0 to 1: labels stay readable on a narrow phone. */
export function BarChart({ title, bars, testId }: Props) {
  const [box, width] = useWidth<HTMLDivElement>(640);
  const W = Math.max(300, width);
  const LABEL_W = Math.min(180, Math.round(W * 0.36));
  const BAR_W = W - LABEL_W - VALUE_W;
  const h = Math.max(1, bars.length) * ROW + 8;
  const summary = bars.length ? bars.map((b) => `${b.label} ${formatPercent(b.value)}`).join(', ') : 'No guesses yet.';
  return (
    <ChartFrame box={box} width={W} height={h} title={title} summary={summary} testId={testId} caption={chanceNote}>
      <line x1={LABEL_W + BAR_W / 2} x2={LABEL_W + BAR_W / 2} y1={0} y2={h} className="chart__chance" />
      {bars.map((b, i) => {
        const top = i * ROW + 6;
        return (
          <g key={b.key}>
            <text x={LABEL_W - 10} y={top + ROW / 2 - 4} textAnchor="end" dy="0.32em" className="chart__label">
              {b.label}
            </text>
            <rect x={LABEL_W} y={top} width={BAR_W} height={ROW - 12} rx={4} className="chart__track" />
            <rect x={LABEL_W} y={top} width={Math.max(0, Math.min(1, b.value)) * BAR_W} height={ROW - 12} rx={4} className="chart__bar">
              <title>{`${b.label}: ${formatPercent(b.value)} (${b.detail})`}</title>
            </rect>
            <text x={W - VALUE_W + 8} y={top + ROW / 2 - 4} dy="0.32em" className="chart__value">
              {formatPercent(b.value)}
            </text>
          </g>
        );
      })}
      {bars.length === 0 && (
        <text x={W / 2} y={h / 2} dy="0.32em" textAnchor="middle" className="chart__empty">
          No guesses yet
        </text>
      )}
    </ChartFrame>
  );
}
