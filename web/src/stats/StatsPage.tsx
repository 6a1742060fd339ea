import { useMemo, useState } from 'react';
import { getStats } from '../api/endpoints';
import { BusyNotice } from '../common/BusyNotice';
import { ErrorMessage } from '../common/ErrorMessage';
import { useResource } from '../common/useResource';
import { usePlayer } from '../player/PlayerContext';
import { BarChart } from './BarChart';
import { LineChart } from './LineChart';
import { foolRateSeries } from './series';
import { EditionsTable, ModelDailyTable, ModelsTable } from './StatsTables';

const ALL = '';

export function StatsPage() {
  const { sessionReady } = usePlayer();
  const stats = useResource((o) => getStats(o), 'stats', sessionReady);
  const [edition, setEdition] = useState(ALL);
  const data = stats.data;

  const names = useMemo(() => new Map(data?.editions.map((e) => [e.slug, e.name])), [data]);
  const editionName = (slug: string) => names.get(slug) ?? slug;
  const categories = useMemo(() => [...new Set(data?.modelDaily.map((r) => r.category))].sort(), [data]);
  const series = useMemo(() => foolRateSeries((data?.modelDaily ?? []).filter((r) => edition === ALL || r.category === edition)), [data, edition]);

  return (
    <section className="page" aria-labelledby="stats-heading">
      <h2 id="stats-heading">Stats</h2>
      <p className="page__lede">How often each model fools players, and how well players spot them.</p>
      <BusyNotice busy={stats.busy} />
      {stats.error && <ErrorMessage error={stats.error} onRetry={stats.reload} />}
      {!data && !stats.error && <div className="skeleton-block" role="status" aria-label="Loading the stats" />}
      {data && (
        <>
          <div className="panel">
            <div className="panel__head">
              <h3>Fool rate per model version</h3>
              {categories.length > 1 && (
                <label className="inline-select">
                  Edition{' '}
                  <select value={edition} onChange={(e) => setEdition(e.target.value)}>
                    <option value={ALL}>All</option>
                    {categories.map((c) => (
                      <option key={c} value={c}>
                        {editionName(c)}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </div>
            <p className="panel__note">The share of a version's tweets that players took for a person's, per day.</p>
            <LineChart title="Fool rate per model version over time" series={series} testId="stats-chart-fool-rate" yLabel="Fool rate" />
            <ModelDailyTable stats={data} />
          </div>
          <div className="panel">
            <h3>Accuracy per edition</h3>
            <BarChart
              title="Players' accuracy per edition"
              testId="stats-chart-accuracy"
              bars={data.editions.map((e) => ({ key: e.slug, label: e.name, value: Number(e.accuracy), detail: `${e.correct} of ${e.guesses} correct` }))}
            />
            <EditionsTable stats={data} />
          </div>
          <div className="panel">
            <h3>Model versions</h3>
            <ModelsTable stats={data} editionName={editionName} />
          </div>
        </>
      )}
    </section>
  );
}
