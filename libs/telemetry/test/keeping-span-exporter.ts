import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";

/** Keeps its spans through shutdown (InMemorySpanExporter forgets them there), so a test can read them after the flush. */
export class KeepingSpanExporter extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
