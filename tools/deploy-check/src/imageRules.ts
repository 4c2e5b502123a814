// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Compose and Dockerfile text, where ${VAR} is variable syntax
import { isPinned } from "./composeRules.ts";
import { argDefaults, copiedHeredoc, type Instruction, stageNames } from "./dockerfile.ts";
import { interpolate } from "./envFile.ts";
import type { Problem } from "./problem.ts";

export interface ImageInputs {
  instructions: readonly Instruction[];
  /** docker-compose's .env variables. */
  variables: ReadonlyMap<string, string>;
  /** The major Node version of .nvmrc. */
  nvmrc: string;
  /** package-lock.json, parsed. */
  lockfile: { packages?: Record<string, { version?: string }> };
  /** .dockerignore's lines. */
  dockerignore: string;
}

const FILE = "Dockerfile";

/**
 * What the image must be: base images pinned (and Node as .env and .nvmrc say), dependencies from the lockfile,
 * tfjs-node at the lockfile's tfjs version, SERVICE chosen by argument, the entrypoint and healthcheck scripts in
 * place, a non-root user, a HEALTHCHECK on /healthz, and a .dockerignore that keeps what the services need.
 */
export function imageProblems(inputs: ImageInputs): Problem[] {
  const { instructions, variables } = inputs;
  const problems: Problem[] = [];
  const add = (line: number | string, message: string) => problems.push({ file: FILE, at: `line ${line}`, message });
  const defaults = argDefaults(instructions);

  const node = defaults.get("NODE_VERSION");
  if (node !== variables.get("NODE_VERSION"))
    add("ARG NODE_VERSION", `${node}: .env says ${variables.get("NODE_VERSION")}`);
  if (node?.split(".")[0] !== inputs.nvmrc.trim())
    add("ARG NODE_VERSION", `${node}: .nvmrc says Node ${inputs.nvmrc.trim()}`);
  const earlierStages = new Set<string>();
  for (const from of instructions.filter((instruction) => instruction.keyword === "FROM")) {
    const image = interpolate(from.args.split(/\s+/)[0] ?? "", defaults);
    // FROM <an earlier stage> builds on that stage, whose own base is checked.
    if (!earlierStages.has(image) && !isPinned(image)) add(from.line, `${image}: pin the base image`);
    earlierStages.add(from.stage);
  }

  const stages = stageNames(instructions);
  const runtime = instructions.filter((instruction) => instruction.stage === stages.at(-1));
  const first = (keyword: string) => runtime.find((instruction) => instruction.keyword === keyword);
  if (!/-slim\b/.test(first("FROM")?.args ?? ""))
    add(first("FROM")?.line ?? 1, "the runtime stage starts from a -slim image");
  const user = runtime.filter((instruction) => instruction.keyword === "USER").at(-1);
  if (!user) add("runtime", "no USER: the service would run as root");
  else if (/^(0|root)(:|$)/.test(user.args)) add(user.line, `USER ${user.args}: run as a non-root user`);
  else if (!/^[1-9]\d*(:\d+)?$/.test(user.args))
    add(user.line, `USER ${user.args}: use a numeric uid so runAsNonRoot can verify it`);
  const healthcheck = first("HEALTHCHECK");
  if (!healthcheck || !/gyre-healthcheck/.test(healthcheck.args) || !/\/healthz/.test(healthcheck.args)) {
    add(healthcheck?.line ?? "runtime", "HEALTHCHECK must run gyre-healthcheck on /healthz");
  }
  if (!runtime.some((instruction) => instruction.keyword === "ARG" && /^SERVICE\b/.test(instruction.args))) {
    add("runtime", "no ARG SERVICE: the service is chosen by build argument");
  }
  if (
    !runtime.some((instruction) => instruction.keyword === "ENV" && /\bSERVICE=\$\{SERVICE\}/.test(instruction.args))
  ) {
    add("runtime", "ENV SERVICE=${SERVICE} is missing: the container cannot know its service");
  }
  if (!/gyre-service/.test(first("CMD")?.args ?? "")) add("runtime", "CMD must start gyre-service");
  for (const script of ["/usr/local/bin/gyre-service", "/usr/local/bin/gyre-healthcheck"]) {
    if (!copiedHeredoc(instructions, script)) add("runtime", `${script} is not written`);
  }
  problems.push(...compiledProblems(instructions));

  if (!instructions.some((instruction) => instruction.keyword === "RUN" && /\bnpm ci\b/.test(instruction.args))) {
    add("deps", "install with npm ci, from the lockfile");
  }
  const tfjs = inputs.lockfile.packages?.["node_modules/@tensorflow/tfjs"]?.version;
  const tfjsNode = defaults.get("TFJS_NODE_VERSION");
  if (tfjsNode !== tfjs) {
    add(
      "ARG TFJS_NODE_VERSION",
      `${tfjsNode}: must equal @tensorflow/tfjs ${tfjs} of package-lock.json (one shared tfjs-core)`,
    );
  }
  if (!instructions.some((instruction) => /@tensorflow\/tfjs-node@\$\{TFJS_NODE_VERSION\}/.test(instruction.args))) {
    add("deps", "install @tensorflow/tfjs-node@${TFJS_NODE_VERSION}");
  }
  problems.push(...dockerignoreProblems(inputs.dockerignore));
  return problems;
}

/**
 * The services run compiled JavaScript: a stage before the runtime runs scripts/build.ts, and gyre-service starts
 * services/$SERVICE/dist/main.js, not TypeScript through tsx.
 */
function compiledProblems(instructions: readonly Instruction[]): Problem[] {
  const problems: Problem[] = [];
  const stages = stageNames(instructions);
  const builds = instructions.some(
    (instruction) =>
      instruction.keyword === "RUN" &&
      instruction.stage !== stages.at(-1) &&
      /\bscripts\/build\.ts\b/.test(instruction.args),
  );
  if (!builds) {
    problems.push({
      file: FILE,
      at: "line build",
      message: "no stage runs scripts/build.ts before the runtime: services/*/dist would be missing",
    });
  }
  const destination = "/usr/local/bin/gyre-service";
  const copy = instructions.find(
    (instruction) => instruction.keyword === "COPY" && instruction.args.endsWith(` ${destination}`),
  );
  const lines = copy?.heredoc?.split("\n") ?? [];
  const exec = lines.findIndex((line) => /^\s*exec\s+node\b/.test(line));
  const execLine = lines[exec];
  if (copy && execLine !== undefined && (/\btsx\b|\.ts"?\s*$/.test(execLine) || !/dist\/main\.js/.test(execLine))) {
    problems.push({
      file: FILE,
      at: `line ${copy.line + 1 + exec}`,
      message: `${destination} runs TypeScript through tsx: run services/$SERVICE/dist/main.js`,
    });
  }
  return problems;
}

/** Paths the build context must keep, and paths it must leave out. */
const KEPT = [
  "package.json",
  "package-lock.json",
  "proto/inference/grpc_predict_v2.proto",
  "libs/model/src/backend.ts",
  "services/serving/src/main.ts",
  "services/ingestion/migrations",
  "scripts/start.ts",
  "examples/weather.spec.yaml",
  "tools/cli/package.json",
];
const LEFT_OUT = [
  "node_modules/tsx/package.json",
  "libs/bus/node_modules/x",
  ".git/HEAD",
  "deploy/local/.run/env",
  "coverage/lcov.info",
  "services/serving/test/protocol.test.ts",
  "services/serving/dist/main.js",
];

function dockerignoreProblems(text: string): Problem[] {
  const problems: Problem[] = [];
  for (const path of KEPT) {
    if (ignored(text, path))
      problems.push({ file: ".dockerignore", at: "", message: `${path} is needed in the image but ignored` });
  }
  for (const path of LEFT_OUT) {
    if (!ignored(text, path))
      problems.push({ file: ".dockerignore", at: "", message: `${path} must stay out of the build context` });
  }
  return problems;
}

/** Docker's .dockerignore matching: `*` within a segment, `**` across segments, `!` re-includes, last match wins. */
export function ignored(dockerignore: string, path: string): boolean {
  let result = false;
  for (const rawLine of dockerignore.split("\n")) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, "").replace(/\/+$/, "");
    const regex = new RegExp(
      `^${pattern
        .split("/")
        .map((segment) =>
          segment === "**"
            ? "(?:.*)"
            : segment
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replaceAll("*", "[^/]*")
                .replaceAll("?", "[^/]"),
        )
        .join("/")
        .replaceAll("(?:.*)/", "(?:.*/)?")}(?:/.*)?$`,
    );
    if (regex.test(path)) result = !negated;
  }
  return result;
}
