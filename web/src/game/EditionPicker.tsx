import { useId } from 'react';
import type { Edition } from '../api/types';

interface Props {
  editions: Edition[];
  value: string;
  onChange: (slug: string) => void;
  label?: string;
  testId?: string;
}

export function EditionPicker({ editions, value, onChange, label = 'Edition', testId = 'edition-picker' }: Props) {
  const id = useId();
  const description = editions.find((e) => e.slug === value)?.description;
  return (
    <div className="edition-picker">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} aria-describedby={description ? `${id}-description` : undefined}>
        {editions.map((e) => (
          <option key={e.slug} value={e.slug}>
            {e.name}
          </option>
        ))}
      </select>
      {description && (
        <p id={`${id}-description`} className="edition-picker__description">
          {description}
        </p>
      )}
    </div>
  );
}
