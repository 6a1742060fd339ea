import type { DailyModelStats, EditionStats, ModelStats, Stats } from '../api/types';
import { DataTable, type Column } from '../common/DataTable';
import { formatCount, formatDay, formatPercent } from '../common/format';

const modelColumns = (editionName: (slug: string) => string): Column<ModelStats>[] => [
  { header: 'Edition', rowHeader: true, cell: (m) => editionName(m.category) },
  { header: 'Version', numeric: true, cell: (m) => `v${m.version}` },
  { header: 'Guesses', numeric: true, cell: (m) => formatCount(m.guesses) },
  { header: 'Fooled', numeric: true, cell: (m) => formatCount(m.fooled) },
  { header: 'Fool rate', numeric: true, cell: (m) => formatPercent(m.foolRate) },
];

export function ModelsTable({ stats, editionName }: { stats: Stats; editionName: (slug: string) => string }) {
  return (
    <DataTable
      columns={modelColumns(editionName)}
      rows={stats.models}
      rowKey={(m) => String(m.versionId)}
      caption="Fool rate per model version, all time"
      testId="stats-models-table"
      note={stats.models.length === 0 && 'No machine tweets guessed yet.'}
    />
  );
}

const editionColumns: Column<EditionStats>[] = [
  { header: 'Edition', rowHeader: true, cell: (e) => e.name },
  { header: 'Guesses', numeric: true, cell: (e) => formatCount(e.guesses) },
  { header: 'Correct', numeric: true, cell: (e) => formatCount(e.correct) },
  { header: 'Accuracy', numeric: true, cell: (e) => formatPercent(e.accuracy) },
];

export function EditionsTable({ stats }: { stats: Stats }) {
  return <DataTable columns={editionColumns} rows={stats.editions} rowKey={(e) => e.slug} caption="Players' accuracy per edition, all time" />;
}

const modelDailyColumns: Column<DailyModelStats>[] = [
  { header: 'Day', cell: (r) => formatDay(r.day) },
  { header: 'Model', rowHeader: true, cell: (r) => `${r.category} v${r.version}` },
  { header: 'Guesses', numeric: true, cell: (r) => formatCount(r.guesses) },
  { header: 'Fool rate', numeric: true, cell: (r) => formatPercent(r.foolRate) },
];

/** The line chart's numbers, day by day, for those who cannot read the chart. */
export function ModelDailyTable({ stats }: { stats: Stats }) {
  return (
    <details className="chart-data">
      <summary>The chart's numbers, by day</summary>
      <DataTable columns={modelDailyColumns} rows={stats.modelDaily} rowKey={(r) => `${r.day}-${r.versionId}`} />
    </details>
  );
}
