export { asyncBufferFromFile } from "hyparquet";
export { asGzipError, CorruptGzipError, DecompressedTooLargeError, gunzipBytes, gunzipped } from "./gzip.ts";
export {
  openParquet,
  type ParquetCell,
  type ParquetRow,
  type ParquetTable,
  parquetBytes,
  parquetRowGroups,
  UnreadableParquetError,
} from "./parquetRows.ts";
