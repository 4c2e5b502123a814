import type { ModelSignature } from "@gyre/model";
import {
  type DatasetSpec,
  entityOf,
  historyDepth,
  isWindowTransform,
  RowValueError,
  requestFeatures,
  type SpecStore,
  timestampMillis,
} from "@gyre/spec";
import { InferenceInputError } from "./errors.ts";
import type { LoadedModel } from "./loaded-model.ts";
import type { OnlineHistory } from "./online-history.ts";
import {
  type DecodedInputs,
  datatypeOf,
  featuresFromRows,
  type NamedTensor,
  type RequestFeatures,
} from "./request-inputs.ts";

const MAX_LOOKUPS_AT_ONCE = 16;

/** What a raw input is: a feature of the spec, or a transform output the client computed itself. */
type RawColumn = {
  name: string;
  type: "numeric" | "integer" | "categorical" | "boolean" | "timestamp";
  categories?: string[];
};

/** How a model's spec reads a raw request; cached per model. */
export interface RawForm {
  spec: DatasetSpec;
  /** The spec's features: every one is sent, except the event time (now when left out). */
  required: RawColumn[];
  /** Transform outputs a client may send (its values then win over what serving computes). */
  computed: RawColumn[];
}

export function rawForm(spec: DatasetSpec, signature: ModelSignature): RawForm {
  const required = spec.features.map((feature) => ({
    name: feature.name,
    type: feature.type,
    ...(feature.categories ? { categories: feature.categories } : {}),
  }));
  const features = new Set(spec.features.map((feature) => feature.name));
  const computed = signature.inputs
    .filter((input) => !features.has(input.name))
    .map((input) => ({
      name: input.name,
      type: input.type,
      ...(input.categories ? { categories: input.categories } : {}),
    }));
  return { spec, required, computed };
}

/** The datatype ModelMetadata advertises for a raw input. */
export function rawDatatype(column: RawColumn): string {
  return column.type === "timestamp" ? "BYTES" : datatypeOf(column as Parameters<typeof datatypeOf>[0]);
}

/**
 * Serving's online features: raw rows in, the model's inputs out. datePart and ratio come from the row itself, lag
 * and rollingMean from the entity's history as of the row's event time (serving's memory, or the feature store on a
 * miss), all through @gyre/spec, the implementation the feature store's training sets agree with.
 */
export class OnlineFeatures {
  private readonly forms = new Map<string, Promise<RawForm>>();

  constructor(
    private readonly specs: Pick<SpecStore, "get" | "current">,
    readonly history: OnlineHistory,
  ) {}

  /** The raw form of a model: its spec at the revision it was trained on. */
  form(model: LoadedModel): Promise<RawForm> {
    const revision = model.bundle.metadata.specRevision;
    const key = `${model.dataset}@${revision ?? "current"}@${model.version}`;
    let form = this.forms.get(key);
    if (!form) {
      const spec = revision === null ? this.specs.current(model.dataset) : this.specs.get(model.dataset, revision);
      form = spec.then((found) => rawForm(found.spec, model.bundle.signature));
      form.catch(() => this.forms.delete(key));
      this.forms.set(key, form);
    }
    return form;
  }

  /** The model's inputs for a raw request, and the rows serving computed (every spec column, missing ones null). */
  async compute(
    model: LoadedModel,
    decoded: DecodedInputs,
    now: number,
  ): Promise<{ features: RequestFeatures; rows: Record<string, unknown>[] }> {
    const form = await this.form(model);
    const { spec } = form;
    const { rows, times } = rawRows(form, decoded.tensors, now);
    // the client sent every lag and rolling mean itself: no history needed
    const sent = new Set(decoded.tensors.map((tensor) => tensor.name));
    const windows = spec.transforms.filter(isWindowTransform);
    const depth = windows.every((transform) => sent.has(transform.name)) ? 0 : historyDepth(spec.transforms);
    const one = async (row: Record<string, unknown>, index: number) => {
      const at = times[index] as number;
      const history = depth === 0 ? [] : await this.history.history(model.dataset, entityOf(spec, row), at, depth);
      try {
        return requestFeatures(spec, history, row, at);
      } catch (error) {
        if (error instanceof RowValueError) throw new InferenceInputError(`row ${index}: ${error.message}`);
        throw error;
      }
    };
    // a file of rows in the past misses the memory on every row: at most this many feature-store calls at once
    const computed: Record<string, unknown>[] = [];
    for (let start = 0; start < rows.length; start += MAX_LOOKUPS_AT_ONCE) {
      const part = rows.slice(start, start + MAX_LOOKUPS_AT_ONCE);
      computed.push(...(await Promise.all(part.map((row, offset) => one(row, start + offset)))));
    }
    return { features: featuresFromRows(computed, model.bundle.signature, decoded.raw), rows: computed };
  }
}

/** The request's tensors as row objects of spec columns, and each row's event time (now where none is sent). */
export function rawRows(
  form: RawForm,
  tensors: readonly NamedTensor[],
  now: number,
): { rows: Record<string, unknown>[]; times: number[] } {
  const columns = new Map([...form.required, ...form.computed].map((column) => [column.name, column]));
  const byName = new Map<string, NamedTensor>();
  for (const tensor of tensors) {
    if (!columns.has(tensor.name)) {
      throw new InferenceInputError(
        `unknown input "${tensor.name}": send the spec's features (${form.required.map((c) => c.name).join(", ")})` +
          (form.computed.length > 0 ? `, and optionally ${form.computed.map((c) => c.name).join(", ")}` : ""),
      );
    }
    if (byName.has(tensor.name)) throw new InferenceInputError(`input "${tensor.name}" is sent twice`);
    byName.set(tensor.name, tensor);
  }
  const eventTime = form.spec.eventTime;
  const missing = form.required.filter((column) => column.name !== eventTime && !byName.has(column.name));
  if (missing.length > 0) {
    throw new InferenceInputError(
      `missing feature${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c.name}"`).join(", ")}: a raw row carries every feature of the spec (${eventTime} may be left out: now)`,
    );
  }
  let count: number | undefined;
  let first = "";
  for (const tensor of byName.values()) {
    const { shape } = tensor.values;
    if (shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw new InferenceInputError(`input "${tensor.name}": shape [${shape.join(", ")}]: an input is [N] or [N, 1]`);
    }
    const rows = shape[0] as number;
    if (count === undefined) {
      count = rows;
      first = tensor.name;
    } else if (rows !== count) {
      throw new InferenceInputError(
        `input "${tensor.name}" has ${rows} rows, "${first}" has ${count}: send the same rows for every input`,
      );
    }
  }
  const rows: Record<string, unknown>[] = Array.from({ length: count ?? 0 }, () => ({}));
  for (const [name, tensor] of byName) {
    const column = columns.get(name) as RawColumn;
    rows.forEach((row, index) => {
      row[name] = cellValue(column, tensor, index);
    });
  }
  const times = rows.map((row) => {
    const given = row[eventTime];
    const at = given === null || given === undefined ? now : (timestampMillis(given) as number);
    row[eventTime] = new Date(at).toISOString();
    return at;
  });
  return { rows, times };
}

function cellValue(column: RawColumn, tensor: NamedTensor, row: number): string | number | boolean | null {
  const where = `input "${column.name}" row ${row}`;
  const values = tensor.values;
  if (column.type === "categorical" || column.type === "timestamp") {
    if (values.kind === "bytes") {
      const text = (values.values[row] as Buffer).toString("utf8");
      if (text === "") return null;
      if (column.type === "timestamp") {
        const millis = timestampMillis(text);
        if (millis === undefined)
          throw new InferenceInputError(`${where}: ${JSON.stringify(text)} is not an ISO 8601 date or time`);
        return new Date(millis).toISOString();
      }
      if (column.categories && !column.categories.includes(text)) {
        throw new InferenceInputError(
          `${where}: ${JSON.stringify(text)} is not a category (${column.categories.join(", ")})`,
        );
      }
      return text;
    }
    if (column.type === "timestamp") {
      const millis = values.values[row] as number;
      if (Number.isNaN(millis)) return null;
      if (!Number.isFinite(millis)) throw new InferenceInputError(`${where}: ${millis} is not a time`);
      return new Date(millis).toISOString();
    }
    throw new InferenceInputError(`${where}: a categorical input is BYTES (its category), not ${values.datatype}`);
  }
  if (values.kind !== "numeric") {
    throw new InferenceInputError(
      `${where}: a ${column.type} input is a number type${column.type === "boolean" ? " or BOOL" : ""}, not BYTES`,
    );
  }
  const value = values.values[row] as number;
  if (Number.isNaN(value)) return null;
  if (!Number.isFinite(value)) throw new InferenceInputError(`${where}: ${value} is not a finite number`);
  if (column.type === "boolean") {
    if (value !== 0 && value !== 1) throw new InferenceInputError(`${where}: ${value} is not a boolean (0 or 1)`);
    return value === 1;
  }
  return value;
}
