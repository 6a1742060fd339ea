import type { Stats } from '../api/types';
import { formatCount, formatDay, formatPercent } from '../common/format';

export function ModelsTable({ stats, editionName }: { stats: Stats; editionName: (slug: string) => string }) {
  return (
    <div className="table-scroll">
      <table className="table" data-testid="stats-models-table">
        <caption>Fool rate per model version, all time</caption>
        <thead>
          <tr>
            <th scope="col">Edition</th>
            <th scope="col" className="num">
              Version
            </th>
            <th scope="col" className="num">
              Guesses
            </th>
            <th scope="col" className="num">
              Fooled
            </th>
            <th scope="col" className="num">
              Fool rate
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.models.length === 0 && (
            <tr>
              <td colSpan={5} className="table__empty">
                No machine tweets guessed yet.
              </td>
            </tr>
          )}
          {stats.models.map((m) => (
            <tr key={m.versionId}>
              <th scope="row">{editionName(m.category)}</th>
              <td className="num">v{m.version}</td>
              <td className="num">{formatCount(m.guesses)}</td>
              <td className="num">{formatCount(m.fooled)}</td>
              <td className="num">{formatPercent(m.foolRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EditionsTable({ stats }: { stats: Stats }) {
  return (
    <div className="table-scroll">
      <table className="table">
        <caption>Players' accuracy per edition, all time</caption>
        <thead>
          <tr>
            <th scope="col">Edition</th>
            <th scope="col" className="num">
              Guesses
            </th>
            <th scope="col" className="num">
              Correct
            </th>
            <th scope="col" className="num">
              Accuracy
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.editions.map((e) => (
            <tr key={e.slug}>
              <th scope="row">{e.name}</th>
              <td className="num">{formatCount(e.guesses)}</td>
              <td className="num">{formatCount(e.correct)}</td>
              <td className="num">{formatPercent(e.accuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The line chart's numbers, day by day, for those who cannot read the chart. */
export function ModelDailyTable({ stats }: { stats: Stats }) {
  return (
    <details className="chart-data">
      <summary>The chart's numbers, by day</summary>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Model</th>
              <th scope="col" className="num">
                Guesses
              </th>
              <th scope="col" className="num">
                Fool rate
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.modelDaily.map((r) => (
              <tr key={`${r.day}-${r.versionId}`}>
                <td>{formatDay(r.day)}</td>
                <th scope="row">
                  {r.category} v{r.version}
                </th>
                <td className="num">{formatCount(r.guesses)}</td>
                <td className="num">{formatPercent(r.foolRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
