import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@gyre/service";

/** Where deploy/local/up.sh keeps its state: the env file, logs, data (GYRE_RUN_DIR, as up.sh reads it). */
export const RUN_DIR = process.env.GYRE_RUN_DIR || join(REPO_ROOT, "deploy/local/.run");

/** Reads `export NAME=value` lines written by deploy/local/up.sh; variables already set in this process win. */
export function localEnv(file = join(RUN_DIR, "env")): NodeJS.ProcessEnv {
  if (!existsSync(file)) return {};
  const env: NodeJS.ProcessEnv = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined && !process.env[match[1]]) env[match[1]] = match[2];
  }
  return env;
}

/** The installation the demo runs in: GYRE_NAMESPACE when the operator set it, else a fresh `demo-<id>`. */
export interface DemoNamespace {
  namespace: string;
  bucket: string;
  /** True when the demo made the namespace (and the bucket) up, so it may delete them afterwards. */
  ownNamespace: boolean;
  ownBucket: boolean;
}

export function chooseNamespace(env: NodeJS.ProcessEnv): DemoNamespace {
  const given = env.GYRE_NAMESPACE?.trim();
  const namespace = given || `demo-${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 5)}`;
  const givenBucket = env.S3_BUCKET?.trim();
  return {
    namespace,
    bucket: givenBucket || `gyre-${namespace}`,
    ownNamespace: !given,
    ownBucket: !givenBucket,
  };
}
