/** What the server sends the page: shared by tools/console/src and tools/console/web (no imports, types only). */

/** One event of the loop as the timeline shows it (live over server-sent events, and in /api/overview). */
export interface LoopEvent {
  seq: number;
  id: string;
  type: string;
  dataset: string;
  time: string;
  source: string;
  /** The trace the event was published in (its W3C traceparent), for a link to the Traces page. */
  traceId?: string;
}
