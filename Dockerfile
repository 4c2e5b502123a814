# syntax=docker/dockerfile:1.7
# One image for all seven Gyre services. SERVICE (a build argument, and an environment variable that overrides it at
# run time) chooses which one the container starts:
#   docker build --build-arg SERVICE=serving -t gyre/serving .
#   docker run -e SERVICE=registry ... gyre/serving          # the same image runs any service
# Services run compiled JavaScript (scripts/build.ts bundles each with esbuild in the build stage; no TypeScript is
# transpiled at run time), telemetry registered first, exactly as libs/service/src/launch.ts starts a compiled
# service. Checked offline by tools/deploy-check (no Docker engine needed).

# Pinned here and in .env (NODE_VERSION); tools/deploy-check fails when the two disagree.
ARG NODE_VERSION=20.20.2

# --- manifests: every package.json and the lockfile, so the dependency layer is rebuilt only when they change ---
FROM node:${NODE_VERSION}-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
  && find . \( -name package.json -o -name package-lock.json \) -not -path "*/node_modules/*" \
    -exec cp --parents {} /manifests/ \;

# --- deps: the workspace tree from the lockfile, plus tfjs-node (native; the full image has python3, make and g++
# for the rare case that its prebuilt binding cannot be downloaded) ---
FROM node:${NODE_VERSION}-bookworm AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
# onnxruntime-node (external ONNX models) ships its CPU binaries in the npm package; its install script would fetch
# the CUDA/TensorRT providers Gyre does not use.
ENV ONNXRUNTIME_NODE_INSTALL=skip
# --ignore-scripts: the root's prepare step (the build) needs the source, which this stage does not have yet; the build
# stage runs it. No dependency needs its install script here (tfjs-node, which does, is installed next, with it).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
# Must equal the @tensorflow/tfjs version in package-lock.json: both then share one @tensorflow/tfjs-core, so the
# "tensorflow" backend that tfjs-node registers is the one libs/model's tfjs sees (tools/deploy-check tests this).
ARG TFJS_NODE_VERSION=4.22.0
RUN --mount=type=cache,target=/root/.npm \
  npm install --no-save --no-audit --no-fund "@tensorflow/tfjs-node@${TFJS_NODE_VERSION}"

# --- build: the source, and each service compiled to services/<name>/dist (esbuild, well under a second) ---
FROM deps AS build
COPY . .
RUN node --import tsx scripts/build.ts

# --- runtime ---
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
RUN groupadd --system --gid 10001 gyre \
  && useradd --system --uid 10001 --gid gyre --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin gyre
WORKDIR /app
# Code and dependencies stay owned by root: the service can read them, not change them.
COPY --from=build /app ./

COPY --chmod=0755 <<'EOF' /usr/local/bin/gyre-service
#!/bin/sh
# Starts the service named by SERVICE the way libs/service/src/launch.ts starts a compiled one: services/<name>/dist
# (built in the image), telemetry registered with --import before the service imports anything it instruments.
# exec: node receives SIGTERM and drains.
set -eu
case "${SERVICE:-}" in
  ingestion | validation | feature-store | trainer | registry | serving | monitoring) ;;
  *)
    echo "gyre-service: SERVICE=\"${SERVICE:-}\": set it to one of ingestion, validation, feature-store, trainer, registry, serving, monitoring" >&2
    exit 64
    ;;
esac
export OTEL_SERVICE_NAME="${OTEL_SERVICE_NAME:-gyre-$SERVICE}"
# V8 flags per service, as V8_FLAGS in libs/service/src/launch.ts: serving caps its old generation so garbage is
# collected early and RSS stays flat under load.
flags=""
if [ "$SERVICE" = serving ]; then flags="--max-old-space-size=256"; fi
# shellcheck disable=SC2086
exec node $flags --import "./services/$SERVICE/dist/telemetry-register.js" "services/$SERVICE/dist/main.js"
EOF

COPY --chmod=0755 <<'EOF' /usr/local/bin/gyre-healthcheck
#!/usr/bin/env node
// Container healthcheck (the slim image has no curl or wget): GET http://127.0.0.1:<port><path>, exit 0 on 2xx.
// path: the first argument, /healthz by default (compose passes /readyz). port: METRICS_PORT, else the service's
// default metrics port (the defaultMetricsPort of services/<SERVICE>/src/main.ts).
const DEFAULT_METRICS_PORTS = {
  ingestion: 9461,
  validation: 9462,
  "feature-store": 9463,
  trainer: 9464,
  registry: 9465,
  serving: 9466,
  monitoring: 9467,
};
const path = process.argv[2] || "/healthz";
const port = process.env.METRICS_PORT || DEFAULT_METRICS_PORTS[process.env.SERVICE || ""];
if (!port) {
  console.error(`gyre-healthcheck: SERVICE="${process.env.SERVICE || ""}" and no METRICS_PORT: nothing to check`);
  process.exit(1);
}
const url = `http://127.0.0.1:${port}${path}`;
fetch(url, { signal: AbortSignal.timeout(2500) }).then(
  (response) => {
    if (!response.ok) console.error(`gyre-healthcheck: ${url} answered ${response.status}`);
    process.exit(response.ok ? 0 : 1);
  },
  (error) => {
    console.error(`gyre-healthcheck: ${url}: ${error.cause?.code || error.name || error}`);
    process.exit(1);
  },
);
EOF

# Fails the build unless libs/model can start the tfjs-node backend (one shared tfjs-core, native binding present).
RUN node --import tsx --input-type=module \
    -e "const { selectBackend } = await import('@gyre/model'); const b = await selectBackend('tensorflow'); console.log(JSON.stringify({ event: 'image.tfjs_backend', ...b }));" \
  && rm -rf /tmp/tsx-*

# Last, so that the seven images compose builds share every layer above and differ only in these.
ARG SERVICE=""
ARG GYRE_CODE_VERSION=unknown
# GYRE_CODE_VERSION is what the trainer records with every run (the image has no .git to ask).
ENV SERVICE=${SERVICE} \
  GYRE_CODE_VERSION=${GYRE_CODE_VERSION}
USER 10001:10001
# Metrics and health (ingestion 9461 ... monitoring 9467) and the gRPC ports of feature-store, registry, trainer,
# monitoring and serving.
EXPOSE 9461-9467 50052-50055 8001
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["gyre-healthcheck", "/healthz"]
CMD ["gyre-service"]
