import type { LoopObserver } from "./loopObserver.ts";
import type { LoopRecord } from "./loopRecord.ts";

/** With every batch handled and no run in flight, this long without an event means the loop has nothing left to do. */
export const QUIET_MS = 30_000;

export interface WaitContext {
  record: LoopRecord;
  observer: LoopObserver;
  signal: AbortSignal;
}

export type WaitOutcome = "done" | "quiet" | "timeout";

/**
 * Resolves `done` once `done()` holds (checked after every loop event and every second); `quiet` when the loop has
 * settled and stayed silent for QUIET_MS, so without new data nothing more will happen; `timeout` at the deadline.
 * Rejects with the abort reason when the demo is stopped.
 */
export function until(context: WaitContext, done: () => boolean, deadline: number): Promise<WaitOutcome> {
  const { record, observer, signal } = context;
  return new Promise((resolve, reject) => {
    const finish = (outcome: WaitOutcome | Error) => {
      clearInterval(timer);
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const check = () => {
      if (done()) finish("done");
      else if (Date.now() >= deadline) finish("timeout");
      else if (Date.now() - record.lastEventAt >= QUIET_MS && record.settled()) finish("quiet");
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error("stopped"));
    const timer = setInterval(check, 1000);
    const unsubscribe = observer.onChange(check);
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    else check();
  });
}
