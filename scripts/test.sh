#!/usr/bin/env bash
# `npm test`: static checks, then every test against the real infrastructure.
# When the endpoints are not in the environment, deploy/local brings the infrastructure up first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

step "format and lint (biome)"
npx biome check .
step "typecheck (tsc)"
npx tsc -p tsconfig.json
npx tsc -p tools/console/web/tsconfig.json
step "compile the services and the CLI (scripts/build.ts): the tests of the image's command and the CLI run the build"
node --import tsx scripts/build.ts
step "event JSON Schemas are current"
node --import tsx scripts/export-schemas.ts --check
step "generated gRPC types are current"
bash scripts/proto-gen.sh --check
step "NATS users and permissions in deploy/ are current"
node --import tsx scripts/nats-auth.ts --check

if [[ -z "${NATS_URL:-}" || -z "${DATABASE_URL:-}" || -z "${S3_ENDPOINT:-}" || -z "${JAEGER_QUERY_URL:-}" ]]; then
  step "infrastructure (deploy/local/up.sh)"
  bash deploy/local/up.sh
  set -a
  # shellcheck source=/dev/null
  . deploy/local/.run/env
  set +a
fi

# The console's browser test drives Debian's chromium (e2e/console.test.ts); install it when it is missing.
if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  step "chromium (apt-get install, for the console's browser test)"
  started=$SECONDS
  sudo_=""
  [[ $(id -u) -ne 0 ]] && sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends chromium
  echo "chromium installed in $((SECONDS - started))s"
fi

step "console page (vite build)"
npm run build -w tools/console --silent

step "tests (node --test)"
shopt -s nullglob globstar
files=(libs/*/test/**/*.test.ts services/*/test/**/*.test.ts tools/*/test/**/*.test.ts scripts/**/*.test.ts e2e/**/*.test.ts)
node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout="${TEST_TIMEOUT_MS:-300000}" "${files[@]}"
