#!/usr/bin/env bash
# Install what the browser tests need, if missing: Debian's Chromium and ChromeDriver, and the
# Node packages of tests/browser (playwright-core only drives the system Chromium; it downloads
# no browser of its own). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  sudo_=""
  if [ "$(id -u)" -ne 0 ]; then sudo_="sudo"; fi
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium chromium-driver
fi
chromium --version
(cd tests/browser && npm ci --no-audit --no-fund)
