#!/usr/bin/env bash
# Brings up the infrastructure Gyre needs on loopback, without Docker, and waits until each part is healthy:
#   NATS with JetStream, PostgreSQL, an S3 server (versitygw) and Jaeger v2.
# NATS and PostgreSQL are the machine's own (started here only if they are down). versitygw and Jaeger are built
# from their Go modules at pinned versions, once, into a cache outside the work tree. Idempotent: what is already
# healthy is left alone. Writes the endpoints to deploy/local/.run/env (source it) and prints them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$here/versions.env"

run_dir="${GYRE_RUN_DIR:-$here/.run}"
cache_dir="${GYRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gyre}/bin"
mkdir -p "$run_dir/logs" "$cache_dir"
# One run at a time: concurrent runs (parallel test sessions) would build and start the same servers twice.
exec 9>"$cache_dir/../up.lock"
flock 9

NATS_PORT="${NATS_PORT:-4222}"
PG_PORT="${PG_PORT:-5432}"
S3_PORT="${S3_PORT:-9000}"
JAEGER_OTLP_HTTP_PORT="${JAEGER_OTLP_HTTP_PORT:-4318}"
JAEGER_QUERY_PORT="${JAEGER_QUERY_PORT:-16686}"
S3_ACCESS_KEY="${S3_ACCESS_KEY:-gyreadmin}"
S3_SECRET_KEY="${S3_SECRET_KEY:-gyreadmin-secret}"
PG_DATABASE="${PG_DATABASE:-gyre}"

say() { printf '[deploy/local] %s\n' "$*" >&2; }
fail() { printf '[deploy/local] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name, seconds, command...
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$name did not become healthy within ${seconds}s (logs: $run_dir/logs)"
    sleep 0.3
  done
  say "$name healthy"
}

# Builds a Go binary once per pinned version; later runs find it in the cache and start in seconds.
build_cached() { # name, version, build-command...
  local name="$1" version="$2"; shift 2
  local bin="$cache_dir/$name-$version"
  if [[ ! -x "$bin" ]]; then
    say "building $name $version (first run on this machine; cached in $cache_dir)"
    local started=$SECONDS
    "$@" "$bin.tmp" || fail "building $name $version failed"
    mv "$bin.tmp" "$bin"
    say "built $name in $((SECONDS - started))s"
  fi
  printf '%s' "$bin"
}

build_jaeger() { (cd "$here/tools/jaeger" && GOFLAGS=-mod=mod go build -trimpath -o "$1" github.com/jaegertracing/jaeger/cmd/jaeger); }
build_versitygw() {
  local gobin; gobin="$(mktemp -d)"
  GOBIN="$gobin" go install -trimpath "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" && mv "$gobin/versitygw" "$1"
  rm -rf "$gobin"
}

start_bg() { # name, command...
  local name="$1"; shift
  # 9>&-: the server must not inherit the lock's descriptor, or it holds the lock for as long as it runs.
  # setsid: a session of its own, so stopping whatever ran up.sh (Ctrl-C, a killed process group) leaves it running.
  nohup setsid "$@" >"$run_dir/logs/$name.log" 2>&1 9>&- &
  echo $! >"$run_dir/$name.pid"
}

# --- NATS with JetStream (the machine's own) ---
if ! port_open "$NATS_PORT"; then
  command -v nats-server >/dev/null || [[ -x /usr/sbin/nats-server ]] || fail "NATS is not listening on 127.0.0.1:$NATS_PORT and nats-server is not installed (apt-get install nats-server)"
  say "starting nats-server with JetStream"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p "$NATS_PORT" -js -sd /var/lib/nats-server -l /var/log/nats-server.log
fi
wait_for "NATS 127.0.0.1:$NATS_PORT" 30 port_open "$NATS_PORT"

# --- PostgreSQL (the machine's own) ---
if ! pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
wait_for "PostgreSQL 127.0.0.1:$PG_PORT" 60 pg_isready -q -h 127.0.0.1 -p "$PG_PORT"
if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$PG_DATABASE'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database \"$PG_DATABASE\"" || true
fi

# --- S3: versitygw over a local directory ---
s3_healthy() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/" | grep -qE '^(200|403)$'; }
if ! s3_healthy; then
  versitygw_bin="$(build_cached versitygw "$VERSITYGW_VERSION" build_versitygw)"
  mkdir -p "$run_dir/s3/data" "$run_dir/s3/meta"
  say "starting versitygw on 127.0.0.1:$S3_PORT"
  start_bg s3 "$versitygw_bin" --port "127.0.0.1:$S3_PORT" --access "$S3_ACCESS_KEY" --secret "$S3_SECRET_KEY" \
    posix --sidecar "$run_dir/s3/meta" "$run_dir/s3/data"
fi
wait_for "S3 (versitygw) 127.0.0.1:$S3_PORT" 30 s3_healthy

# --- Jaeger v2: OTLP in, query API out ---
jaeger_healthy() { curl -sf "http://127.0.0.1:$JAEGER_QUERY_PORT/api/services" -o /dev/null; }
if ! jaeger_healthy; then
  jaeger_bin="$(build_cached jaeger "$JAEGER_VERSION" build_jaeger)"
  say "starting Jaeger (OTLP http 127.0.0.1:$JAEGER_OTLP_HTTP_PORT, query 127.0.0.1:$JAEGER_QUERY_PORT)"
  JAEGER_QUERY_PORT="$JAEGER_QUERY_PORT" JAEGER_OTLP_HTTP_PORT="$JAEGER_OTLP_HTTP_PORT" \
    start_bg jaeger "$jaeger_bin" --config "$here/jaeger.yaml"
fi
wait_for "Jaeger 127.0.0.1:$JAEGER_QUERY_PORT" 60 jaeger_healthy

cat >"$run_dir/env" <<EOF
export NATS_URL=nats://127.0.0.1:$NATS_PORT
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DATABASE
export S3_ENDPOINT=http://127.0.0.1:$S3_PORT
export S3_ACCESS_KEY=$S3_ACCESS_KEY
export S3_SECRET_KEY=$S3_SECRET_KEY
export S3_REGION=us-east-1
export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$JAEGER_OTLP_HTTP_PORT
export JAEGER_QUERY_URL=http://127.0.0.1:$JAEGER_QUERY_PORT
EOF

say "infrastructure is up; endpoints (source $run_dir/env):"
sed 's/^export /  /; s/\(S3_SECRET_KEY=\).*/\1***/' "$run_dir/env"
say "Jaeger UI/API: http://127.0.0.1:$JAEGER_QUERY_PORT (a source build has no UI assets; the query API works)"
