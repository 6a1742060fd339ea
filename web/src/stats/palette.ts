// Colours that stay apart for common colour blindness (Okabe–Ito), each paired with a dash
// pattern so the lines differ in more than colour.
export const lineStyles = [
  { colour: 'var(--series-1)', dash: '' },
  { colour: 'var(--series-2)', dash: '8 4' },
  { colour: 'var(--series-3)', dash: '2 4' },
  { colour: 'var(--series-4)', dash: '12 4 2 4' },
  { colour: 'var(--series-5)', dash: '4 4' },
  { colour: 'var(--series-6)', dash: '16 6' },
];

export const styleAt = (i: number) => lineStyles[i % lineStyles.length]!;
