import { useId, type ReactNode, type Ref } from 'react';

interface Props {
  /** Where useWidth measures the width the chart draws at. */
  box: Ref<HTMLDivElement>;
  width: number;
  height: number;
  title: string;
  /** The chart in a sentence: what a screen reader says instead of the picture. */
  summary: string;
  testId: string;
  /** The figcaption, if any. */
  caption?: ReactNode;
  children: ReactNode;
}

/** A chart's figure and svg, named by its title and summary so it reads as one image. */
export function ChartFrame({ box, width, height, title, summary, testId, caption, children }: Props) {
  const id = useId();
  return (
    <figure className="chart">
      <div ref={box} className="chart__box">
        <svg viewBox={`0 0 ${width} ${height}`} className="chart__svg" role="img" aria-labelledby={`${id}-title ${id}-desc`} data-testid={testId}>
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          {children}
        </svg>
      </div>
      {caption}
    </figure>
  );
}
