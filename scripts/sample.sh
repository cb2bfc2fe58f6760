#!/usr/bin/env bash
# Build Chancery, ingest the bundled sample (TEI volumes, plain-text captures, the two seeds)
# into ./archive, and show what came out: the main job on the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin chancery
bin=target/release/chancery
archive=${CHANCERY_ARCHIVE:-archive}
"$bin" --archive "$archive" ingest sample/tei sample/text
"$bin" --archive "$archive" ingest --volume seeds sample/seeds
"$bin" --archive "$archive" volumes
"$bin" --archive "$archive" stats
echo
echo "--- frus1964-68v07/d45 as text ---"
"$bin" --archive "$archive" show frus1964-68v07/d45
echo
