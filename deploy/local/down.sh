#!/usr/bin/env bash
# Stops what deploy/local/up.sh started (versitygw and Jaeger). The machine's own NATS and PostgreSQL are left running.
# Idempotent: a part that is not running is skipped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run_dir="${GYRE_RUN_DIR:-$here/.run}"
for name in jaeger s3; do
  pid_file="$run_dir/$name.pid"
  [[ -f "$pid_file" ]] || { echo "[deploy/local] $name: not started here"; continue; }
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "[deploy/local] $name (pid $pid) stopped"
  else
    echo "[deploy/local] $name: already stopped"
  fi
  rm -f "$pid_file"
done
echo "[deploy/local] NATS (127.0.0.1:4222) and PostgreSQL (127.0.0.1:5432) are the machine's own and keep running"
