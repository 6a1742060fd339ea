import type { Period } from '../api/types';

const periods: { value: Period; label: string }[] = [
  { value: 'today', label: 'Today' },
  { value: 'all', label: 'All time' },
];

export function PeriodToggle({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Period">
      {periods.map((p) => (
        <button key={p.value} type="button" className="segmented__option" aria-pressed={value === p.value} onClick={() => onChange(p.value)} data-testid={`period-${p.value}`}>
          {p.label}
        </button>
      ))}
    </div>
  );
}
