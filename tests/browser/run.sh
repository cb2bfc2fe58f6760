#!/usr/bin/env bash
# Browser tests: build chancery, serve a fresh archive of the bundled sample on a free loopback
# port, drive Debian's headless Chromium through the reading room (tests/browser/reading-room.mjs),
# and leave screenshots in target/browser-artifacts/. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
cargo build --locked --bin chancery
(cd tests/browser && npm ci --no-audit --no-fund)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
target/debug/chancery --archive "$work/archive" serve --addr "127.0.0.1:$port" --quiet >"$work/serve.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Building the sample archive and the index takes a few seconds on a fresh machine.
for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$port/api/v1/stats" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/serve.log"; echo "server exited" >&2; exit 1; fi
  sleep 0.5
done
mkdir -p target/browser-artifacts
node tests/browser/reading-room.mjs "http://127.0.0.1:$port" "$root/target/browser-artifacts"
