/** Schema names go unquoted into SQL and into `search_path`, so they are strict: no "-", no upper case. */
const SCHEMA_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

export class InvalidSchemaNameError extends Error {
  override name = "InvalidSchemaNameError";
  constructor(readonly value: unknown) {
    super(
      `schema ${JSON.stringify(value)}: schema names start with a-z, then use a-z, 0-9 and "_", at most 63 characters`,
    );
  }
}

/** Returns the schema name unchanged or throws an InvalidSchemaNameError that names the value. */
export function parseSchemaName(value: unknown): string {
  if (typeof value !== "string" || !SCHEMA_PATTERN.test(value)) throw new InvalidSchemaNameError(value);
  return value;
}
