import type { FeatureType } from "./schema.ts";

/** Dates and date-times as ISO 8601 writes them: 2012-01-01, 2012-01-01T10:00, 2012-01-01 10:00:00.5+02:00. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const INTEGER = /^[+-]?\d+$/;
/** Decimal notation only: no hex, no "Infinity", no empty string (all of which Number() accepts). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN = /^(?:true|false)$/i;
/** The schema's limit on one category's length. */
const MAX_CATEGORY_CHARS = 200;

/** What one pass over a column's values found; `add` each value, then `conclude`. */
export class ColumnProfile {
  rows = 0;
  empties = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private timestamps = true;
  private booleans = true;
  private integers = true;
  private decimals = true;
  private longestValue = 0;
  private readonly distinct = new Set<string>();
  private distinctOverflow = false;

  constructor(
    readonly name: string,
    private readonly maxCategories: number,
  ) {}

  add(raw: string): void {
    this.rows++;
    const value = raw.trim();
    if (value === "") {
      this.empties++;
      return;
    }
    this.longestValue = Math.max(this.longestValue, value.length);
    if (this.timestamps && !(ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)))) this.timestamps = false;
    if (this.booleans && !BOOLEAN.test(value)) this.booleans = false;
    if (this.integers && !(INTEGER.test(value) && Number.isSafeInteger(Number(value)))) this.integers = false;
    if (this.decimals && DECIMAL.test(value) && Number.isFinite(Number(value))) {
      const number = Number(value);
      if (number < this.min) this.min = number;
      if (number > this.max) this.max = number;
    } else {
      this.decimals = false;
    }
    if (!this.distinctOverflow) {
      this.distinct.add(value);
      if (this.distinct.size > this.maxCategories) {
        this.distinctOverflow = true;
        this.distinct.clear();
      }
    }
  }

  /** Distinct non-empty values, sorted; null when there were more than maxCategories. */
  distinctValues(): string[] | null {
    return this.distinctOverflow ? null : [...this.distinct].sort();
  }

  /** The column's type, or why none fits. Order matters: 0/1 columns are integers, not booleans. */
  conclude(): ColumnVerdict {
    const nullable = this.empties > 0;
    if (this.rows === this.empties) return { supported: false, reason: "has no values" };
    if (this.timestamps) return { supported: true, type: "timestamp", nullable };
    if (this.booleans) return { supported: true, type: "boolean", nullable };
    if (this.integers) return { supported: true, type: "integer", nullable, min: this.min, max: this.max };
    if (this.decimals) return { supported: true, type: "numeric", nullable, min: this.min, max: this.max };
    if (this.distinctOverflow) {
      return {
        supported: false,
        reason: `has more than ${this.maxCategories} distinct values (free text or an id?); raise maxCategories to keep it as categorical`,
      };
    }
    if (this.longestValue > MAX_CATEGORY_CHARS) {
      return { supported: false, reason: `has values longer than ${MAX_CATEGORY_CHARS} characters` };
    }
    return { supported: true, type: "categorical", nullable, categories: [...this.distinct].sort() };
  }
}

export type ColumnVerdict =
  | { supported: true; type: FeatureType; nullable: boolean; min?: number; max?: number; categories?: string[] }
  | { supported: false; reason: string };
