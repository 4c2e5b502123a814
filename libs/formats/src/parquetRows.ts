import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";

/** A Parquet file that cannot be read as a flat table of scalars: truncated, corrupt, nested, binary columns. */
export class UnreadableParquetError extends Error {
  override name = "UnreadableParquetError";
}

/** A cell as Gyre reads it from Parquet: JSON's scalars. */
export type ParquetCell = string | number | boolean | null;
export type ParquetRow = Record<string, ParquetCell>;

/** The file's columns (flat, in schema order) and its rows, from the footer. */
export interface ParquetTable {
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: string[];
  rowCount: number;
}

function unreadable(error: unknown): UnreadableParquetError {
  if (error instanceof UnreadableParquetError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new UnreadableParquetError(`Parquet batch is unreadable: ${detail}`, { cause: error });
}

/** Bytes held in memory as what hyparquet reads from. */
export function parquetBytes(bytes: Uint8Array): AsyncBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Reads the footer: a file cut short or not Parquet fails here. Every top-level column must be a leaf (no struct,
 * list or map) that is not repeated.
 */
export async function openParquet(file: AsyncBuffer): Promise<ParquetTable> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw unreadable(error);
  }
  const columns: string[] = [];
  for (const child of parquetSchema(metadata).children) {
    const { name, repetition_type } = child.element;
    if (child.children.length > 0 || repetition_type === "REPEATED") {
      throw new UnreadableParquetError(
        `Parquet column ${JSON.stringify(name)} is nested (a struct, list or map); send flat columns of scalar values`,
      );
    }
    columns.push(name);
  }
  return { file, metadata, columns, rowCount: Number(metadata.num_rows) };
}

/** A value hyparquet decoded, as a JSON scalar; undefined for one Gyre does not read (bytes, objects). */
function cell(value: unknown): ParquetCell | undefined {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "bigint":
      // INT64: exact as a number within ±(2^53 − 1); beyond, the digits, which validation reports on
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  return undefined;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes of binary`;
  return Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

/**
 * The rows of a Parquet file, one row group at a time (only `columns` when given): INT64 as numbers, dates and
 * timestamps as ISO strings. A corrupt page, or a value that is not a scalar (binary, JSON, geometry), throws
 * UnreadableParquetError naming the column and the row.
 */
export async function* parquetRowGroups(table: ParquetTable, columns?: string[]): AsyncGenerator<ParquetRow[]> {
  let rowStart = 0;
  for (const group of table.metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let objects: Record<string, unknown>[];
    try {
      objects = await parquetReadObjects({
        file: table.file,
        metadata: table.metadata,
        columns,
        rowStart,
        rowEnd,
        compressors,
      });
    } catch (error) {
      throw unreadable(error);
    }
    yield objects.map((object, index) => {
      const row: ParquetRow = {};
      for (const [name, value] of Object.entries(object)) {
        const scalar = cell(value);
        if (scalar === undefined) {
          throw new UnreadableParquetError(
            `Parquet column ${JSON.stringify(name)} holds ${describe(value)} in row ${rowStart + index + 1}; Gyre reads numbers, strings, booleans, dates and timestamps`,
          );
        }
        row[name] = scalar;
      }
      return row;
    });
    rowStart = rowEnd;
  }
}
