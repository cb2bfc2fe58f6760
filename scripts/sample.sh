#!/usr/bin/env bash
# Build Chancery, ingest the bundled sample (the volumes' catalogue records, TEI volumes,
# plain-text captures, the two seeds filed in their real volumes) into ./archive, show what came
# out, then serve the reading room on it: the main job on the bundled sample. Set CHANCERY_ADDR to serve elsewhere, NO_SERVE=1 to stop after the ingest.
set -euo pipefail
cd "$(dirname "$0")/.."
# The dev profile: the test suite reuses everything this builds, and the sample ingests in
# seconds without optimisation. `cargo build --release` for whole volumes and series.
cargo build --locked --bin chancery
bin=target/debug/chancery
archive=${CHANCERY_ARCHIVE:-archive}
"$bin" --archive "$archive" ingest sample/bibliography sample/tei sample/text
# Seed 000 is document 45 of 1964–68 VII (also in sample/tei: it becomes a second witness of
# it), seed 003 document 261 of 1964–68 III.
"$bin" --archive "$archive" ingest --volume frus1964-68v07 sample/seeds/000_b59939755342e843.txt
"$bin" --archive "$archive" ingest --volume frus1964-68v03 sample/seeds/003_5b44302af4495d90.txt
"$bin" --archive "$archive" volumes
"$bin" --archive "$archive" stats
echo
echo "--- frus1964-68v07/d45 as text ---"
"$bin" --archive "$archive" show frus1964-68v07/d45
echo
if [[ -z ${NO_SERVE:-} ]]; then
  echo "--- the reading room: http://${CHANCERY_ADDR:-127.0.0.1:8080}/ (Ctrl-C stops it) ---"
  exec "$bin" --archive "$archive" serve --addr "${CHANCERY_ADDR:-127.0.0.1:8080}"
fi
