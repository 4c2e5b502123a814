// Writes the JSON Schema of every event type to libs/contracts/schemas/<type>.json.
//   node --import tsx scripts/export-schemas.ts           write (commit the result)
//   node --import tsx scripts/export-schemas.ts --check   exit 1 when the committed files differ
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { toJsonSchemas } from "@gyre/contracts";

const schemasDir = fileURLToPath(new URL("../libs/contracts/schemas/", import.meta.url));

function expectedFiles(): Map<string, string> {
  return new Map(
    Object.entries(toJsonSchemas()).map(([type, schema]) => [`${type}.json`, `${JSON.stringify(schema, null, 2)}\n`]),
  );
}

function existingFiles(): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(schemasDir).filter((name) => name.endsWith(".json"));
  } catch {
    return new Map();
  }
  return new Map(names.map((name) => [name, readFileSync(join(schemasDir, name), "utf8")]));
}

/** File names that are missing, different, or left over from a removed event type. */
function staleFiles(expected: Map<string, string>, existing: Map<string, string>): string[] {
  const names = new Set([...expected.keys(), ...existing.keys()]);
  return [...names].filter((name) => expected.get(name) !== existing.get(name)).sort();
}

const mode = process.argv[2];
if (mode !== undefined && mode !== "--check") {
  console.error(`export-schemas: unknown argument ${JSON.stringify(mode)}: use no argument or --check`);
  process.exit(2);
}

const expected = expectedFiles();
const stale = staleFiles(expected, existingFiles());
if (mode === "--check") {
  if (stale.length > 0) {
    console.error(
      `export-schemas: libs/contracts/schemas is out of date (${stale.join(", ")}): run \`node --import tsx scripts/export-schemas.ts\` and commit the result`,
    );
    process.exit(1);
  }
  console.log(`export-schemas: libs/contracts/schemas is current (${expected.size} event types)`);
} else {
  mkdirSync(schemasDir, { recursive: true });
  for (const name of stale) {
    const content = expected.get(name);
    if (content === undefined) rmSync(join(schemasDir, name));
    else writeFileSync(join(schemasDir, name), content);
  }
  console.log(`export-schemas: wrote ${stale.length} of ${expected.size} schemas to libs/contracts/schemas`);
}
