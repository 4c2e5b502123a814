import type { ColumnValues, FeatureColumnType, RowChunk } from "@gyre/grpc";
import { cellValue } from "./pgValues.ts";

/** Where each exported column comes from in a fetched row, and how it travels. */
export interface ChunkColumn {
  position: number;
  type: FeatureColumnType;
}

function emptyColumn(): Required<ColumnValues> {
  return { numbers: [], strings: [], bools: [], null_rows: [] };
}

/**
 * Rows (arrays from the database) as one columnar chunk: per column one array of the column's type, nulls listed
 * in `null_rows` with a placeholder (0, "" or false) in their place. `trainRows` is the export's count of train
 * rows; the rows at or after that position are holdout.
 */
export function rowChunk(
  rows: readonly unknown[][],
  columns: readonly ChunkColumn[],
  firstRow: number,
  trainRows: number,
): RowChunk {
  const values = columns.map(emptyColumn);
  for (const [index, row] of rows.entries()) {
    for (const [at, column] of columns.entries()) {
      const target = values[at] as Required<ColumnValues>;
      const cell = cellValue(row[column.position]);
      if (cell === null) target.null_rows.push(index);
      switch (column.type) {
        case "COLUMN_TYPE_DOUBLE":
        case "COLUMN_TYPE_INT64":
          target.numbers.push(typeof cell === "number" ? cell : 0);
          break;
        case "COLUMN_TYPE_BOOL":
          target.bools.push(cell === true);
          break;
        default:
          target.strings.push(cell === null ? "" : String(cell));
      }
    }
  }
  return {
    first_row: firstRow,
    row_count: rows.length,
    holdout: rows.map((_, index) => firstRow + index >= trainRows),
    columns: values,
  };
}
