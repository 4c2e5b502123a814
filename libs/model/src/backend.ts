import { createRequire } from "node:module";
import { dirname } from "node:path";
import * as tf from "@tensorflow/tfjs";

/** The TensorFlow.js backends the trainer can run on, fastest first. */
export const BACKENDS = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendChoice {
  /** The backend tfjs runs on now. */
  name: BackendName;
  /** Version of @tensorflow/tfjs-core, recorded with every run next to the backend. */
  tfjsVersion: string;
  /** Backends tried before this one and why they were passed over, for the start-up log. */
  skipped: { name: BackendName; reason: string }[];
}

export class UnknownBackendError extends Error {
  override name = "UnknownBackendError";
  constructor(readonly value: string) {
    super(`TFJS_BACKEND ${JSON.stringify(value)}: choose one of ${BACKENDS.join(", ")}, or leave it unset`);
  }
}

/**
 * Without tfjs-node, wasm before cpu. Measured on the 2-core development machine (CPU time of one epoch over
 * 50,000 rows, 12 features, 5 classes): hidden [64, 32], batch 64: wasm 5.3 s, cpu 11.7 s; batch 512: wasm
 * 1.8 s, cpu 5.5 s; hidden [16], batch 64: wasm 5.1 s, cpu 6.4 s. On the tiny seattle-weather MLP (20 epochs,
 * 1,169 rows) they tie at about 2.5 s, as per-op overhead dominates there.
 */
const DEFAULT_ORDER: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

/**
 * Chooses the backend once at start: `@tensorflow/tfjs-node` where it is installed (container images),
 * else the default order above. `preferred` (env TFJS_BACKEND) forces one; if it cannot start, this throws.
 */
export async function selectBackend(preferred?: string): Promise<BackendChoice> {
  if (preferred !== undefined && preferred !== "" && !(BACKENDS as readonly string[]).includes(preferred)) {
    throw new UnknownBackendError(preferred);
  }
  const order = preferred ? [preferred as BackendName] : DEFAULT_ORDER;
  const skipped: BackendChoice["skipped"] = [];
  for (const name of order) {
    try {
      await activate(name);
      // Production mode skips debug checks and the "install tfjs-node" console banner of the cpu backend.
      tf.enableProdMode();
      return { name, tfjsVersion: tf.version_core, skipped };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (preferred) throw new Error(`TFJS_BACKEND "${name}" cannot start: ${reason}`, { cause: error });
      skipped.push({ name, reason });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")}`);
}

/** The backend tfjs runs on now, as recorded with a run. */
export function currentBackend(): BackendName {
  const name = tf.getBackend();
  if (!(BACKENDS as readonly string[]).includes(name)) throw new Error(`tfjs runs on unexpected backend "${name}"`);
  return name as BackendName;
}

async function activate(name: BackendName): Promise<void> {
  if (name === "tensorflow") {
    // A variable specifier: tfjs-node is no dependency here (its install downloads libtensorflow).
    const tfjsNode = "@tensorflow/tfjs-node";
    await import(tfjsNode);
  } else if (name === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(`${dirname(require.resolve("@tensorflow/tfjs-backend-wasm"))}/`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend("${name}") returned false`);
  await tf.ready();
}
