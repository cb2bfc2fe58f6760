#!/usr/bin/env bash
# Tools the benchmarks compare against: ripgrep for `chancery-bench search` (SQLite FTS5 is
# built into the bundled SQLite, nothing to install). Debian/Ubuntu; run as root or with sudo.
set -euo pipefail
if command -v rg >/dev/null 2>&1; then
    echo "ripgrep already installed: $(rg --version | head -1)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq ripgrep
rg --version | head -1
