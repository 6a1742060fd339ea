import type { HTMLAttributes, ReactNode } from 'react';

export interface Column<Row> {
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Right-aligned, so digits line up down the column. */
  numeric?: boolean;
  /** The cell that names its row, for screen readers reading across. */
  rowHeader?: boolean;
}

export type RowAttributes = Pick<HTMLAttributes<HTMLTableRowElement>, 'className' | 'aria-current'> & { 'data-testid'?: string };

interface Props<Row> {
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  caption?: string;
  /** Added to `table`. */
  className?: string;
  testId?: string;
  /** A row across every column above the data; the caller says when (there may be extra rows besides the data's). */
  note?: ReactNode;
  rowAttributes?: (row: Row) => RowAttributes;
}

/** A table that scrolls sideways on a narrow screen instead of squeezing its columns. */
export function DataTable<Row>({ columns, rows, rowKey, caption, className, testId, note, rowAttributes }: Props<Row>) {
  return (
    <div className="table-scroll">
      <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={column.numeric ? 'num' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {note && (
            <tr>
              <td colSpan={columns.length} className="table__empty">
                {note}
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowAttributes?.(row)}>
              {columns.map((column, i) => {
                const Cell = column.rowHeader ? 'th' : 'td';
                return (
                  <Cell key={i} scope={column.rowHeader ? 'row' : undefined} className={column.numeric ? 'num' : undefined}>
                    {column.cell(row)}
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
