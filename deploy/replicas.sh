#!/usr/bin/env bash
# `make replicas`: an Oxigraph server and three stackatlas replicas on loopback, for trying the
# replicated deployment (docs/deployment.md). The engine's data lives in .replicas/engine (git-ignored);
# the first run imports graph_data/ into it and prints a write token. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
ENGINE_PORT=${ENGINE_PORT:-7878}
FIRST_PORT=${FIRST_PORT:-8001}
DIR=.replicas
ENGINE="http://127.0.0.1:${ENGINE_PORT}/"
mkdir -p "$DIR"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait; }
trap cleanup EXIT INT TERM

"$BIN/oxigraph" serve --location "$DIR/engine" --bind "127.0.0.1:${ENGINE_PORT}" --timeout-s 60 \
    >"$DIR/engine.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    curl -fsS -o /dev/null --data-urlencode 'query=ASK {}' "${ENGINE}query" 2>/dev/null && break
    sleep 0.1
done
if [ ! -e "$DIR/imported" ]; then
    "$BIN/stackatlas" import --store "$ENGINE" graph_data
    "$BIN/stackatlas" token add curator --scope write --store "$ENGINE" >"$DIR/curator.token"
    touch "$DIR/imported"
    echo "write token (also in $DIR/curator.token): $(cat "$DIR/curator.token")"
fi
for i in 0 1 2; do
    port=$((FIRST_PORT + i))
    "$BIN/stackatlas" serve --store "$ENGINE" --port "$port" >"$DIR/replica-$port.log" 2>&1 &
    pids+=($!)
    echo "replica $((i + 1)): http://127.0.0.1:${port}/  (log $DIR/replica-$port.log)"
done
echo "engine: ${ENGINE} (log $DIR/engine.log); Ctrl-C stops the engine and the replicas"
wait
