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
status=0
node tests/browser/reading-room.mjs "http://127.0.0.1:$port" "$root/target/browser-artifacts" || status=$?
# A client that sent half a request header must not keep the server alive after SIGTERM: it
# stops within its shutdown deadline (10 s), whatever its clients do.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET / HTTP/1.1\r\nHost: slow' >&3
sleep 0.5
kill -TERM "$server"
for _ in $(seq 1 60); do
  kill -0 "$server" 2>/dev/null || break
  sleep 0.25
done
if kill -0 "$server" 2>/dev/null; then
  echo "FAIL - serve still running 15 s after SIGTERM with an unfinished request header" >&2
  status=1
else
  echo "ok   - serve stopped after SIGTERM despite an unfinished request header"
fi
exec 3>&-
exit "$status"
