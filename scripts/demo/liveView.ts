import cliProgress from "cli-progress";
import { LABEL_WIDTH, label } from "./eventLines.ts";

/**
 * Where the demo shows the loop. On a terminal: lines scroll above a counter line and one epoch bar per running
 * training, both redrawn in place. Elsewhere (CI): plain lines only; counters when they change, at most every few
 * seconds, and training progress at each quarter of the epochs.
 */
export interface LiveView {
  line(text: string): void;
  counters(text: string, force?: boolean): void;
  training(runId: string, epoch: number, epochs: number, detail: string): void;
  trainingDone(runId: string): void;
  stop(): void;
}

export function createLiveView(stream: NodeJS.WriteStream = process.stdout): LiveView {
  const started = Date.now();
  const stamp = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    return `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
  };
  return stream.isTTY ? new TerminalView(stream, stamp) : new PlainView(stream, stamp);
}

class TerminalView implements LiveView {
  readonly #bars: cliProgress.MultiBar;
  readonly #trainings = new Map<string, cliProgress.SingleBar>();
  #counter: cliProgress.SingleBar | undefined;
  #stopped = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly stamp: () => string,
  ) {
    this.#bars = new cliProgress.MultiBar(
      {
        stream,
        format: "      {label} {bar} {value}/{total} epochs  {detail}",
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        gracefulExit: false,
        autopadding: true,
        emptyOnZero: true,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  line(text: string): void {
    if (this.#stopped) {
      this.stream.write(`${this.stamp()} ${text}\n`);
      return;
    }
    this.#bars.log(`${this.stamp()} ${text}\n`);
    if (!this.#counter) this.#bars.update();
  }

  counters(text: string): void {
    if (this.#stopped) return;
    if (!this.#counter) this.#counter = this.#bars.create(1, 0, { text }, { format: "      {text}" });
    else this.#counter.update({ text });
  }

  training(runId: string, epoch: number, epochs: number, detail: string): void {
    if (this.#stopped) return;
    const bar = this.#trainings.get(runId);
    const payload = { label: `training ${runId}`, detail };
    if (bar) {
      bar.setTotal(epochs);
      bar.update(epoch, payload);
    } else {
      this.#trainings.set(runId, this.#bars.create(epochs, epoch, payload));
    }
  }

  trainingDone(runId: string): void {
    const bar = this.#trainings.get(runId);
    if (!bar) return;
    this.#trainings.delete(runId);
    this.#bars.remove(bar);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#bars.update();
    this.#bars.stop();
    this.#stopped = true;
  }
}

const PLAIN_COUNTER_INTERVAL_MS = 5000;

class PlainView implements LiveView {
  #lastCounters = "";
  #lastCountersAt = 0;
  readonly #shownQuarter = new Map<string, number>();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly stamp: () => string,
  ) {}

  line(text: string): void {
    this.stream.write(`${this.stamp()} ${text}\n`);
  }

  counters(text: string, force = false): void {
    if (text === this.#lastCounters) return;
    if (!force && Date.now() - this.#lastCountersAt < PLAIN_COUNTER_INTERVAL_MS) return;
    this.#lastCounters = text;
    this.#lastCountersAt = Date.now();
    this.line(`${" ".repeat(LABEL_WIDTH)}${text}`);
  }

  training(runId: string, epoch: number, epochs: number, detail: string): void {
    const quarter = Math.floor((4 * epoch) / epochs);
    if ((this.#shownQuarter.get(runId) ?? -1) >= quarter) return;
    this.#shownQuarter.set(runId, quarter);
    this.line(`${label("training")}${runId}: epoch ${epoch}/${epochs}  ${detail}`);
  }

  trainingDone(runId: string): void {
    this.#shownQuarter.delete(runId);
  }

  stop(): void {}
}
