import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { LoopEvent } from "../../src/wire.ts";

export type { LoopEvent };

interface Live {
  events: LoopEvent[];
  connected: boolean;
  /** Bumped on every event: pages reload what they show. */
  version: number;
}

export const LiveContext = createContext<Live>({ events: [], connected: false, version: 0 });
export const useLive = () => useContext(LiveContext);

export const DatasetContext = createContext<string | undefined>(undefined);
export const useDataset = () => useContext(DatasetContext);

export function useLiveEvents(): Live {
  const [live, setLive] = useState<Live>({ events: [], connected: false, version: 0 });
  useEffect(() => {
    const source = new EventSource("/api/events");
    source.onopen = () => setLive((old) => ({ ...old, connected: true }));
    source.onerror = () => setLive((old) => ({ ...old, connected: false }));
    source.addEventListener("loop", (message) => {
      const event = JSON.parse((message as MessageEvent).data) as LoopEvent;
      setLive((old) => ({ events: [event, ...old.events].slice(0, 200), connected: true, version: old.version + 1 }));
    });
    return () => source.close();
  }, []);
  return live;
}

/** Reloads at most every `ms` while events arrive, so a burst of events costs one request. */
export function useThrottledVersion(ms = 2000): number {
  const { version } = useLive();
  const [throttled, setThrottled] = useState(version);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      setThrottled(version);
    }, ms);
  }, [version, ms]);
  return throttled;
}
