import type { BusMetrics } from "./metrics.ts";

/** What the bus reports about each delivery; @gyre/bus accepts any object of this shape. */
export interface BusObserver {
  handled(subject: string, durationMs: number): void;
  failed(subject: string, reason: string): void;
  deadLettered(subject: string, reason: string): void;
}

/** A BusObserver that records into the standard Gyre metrics. */
export function busObserver(metrics: BusMetrics): BusObserver {
  return {
    handled(subject, durationMs) {
      metrics.handled.inc({ subject });
      metrics.handlerDuration.observe({ subject }, durationMs / 1000);
    },
    failed(subject, reason) {
      metrics.failed.inc({ subject, reason });
    },
    deadLettered(subject, reason) {
      metrics.deadLettered.inc({ subject, reason });
    },
  };
}
