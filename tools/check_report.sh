#!/usr/bin/env bash
# Check the HTML after-action report in a real browser: installs Debian's headless Chromium and a
# Traditional Chinese font if they are missing, then runs the Chromium report test (which is
# skipped when Chromium is absent, as in a plain CI run). The screenshot is left in
# out/report-screenshot.png for a reviewer to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! (command -v fc-list >/dev/null && fc-list :lang=zh-tw | grep -q .); then need+=(fonts-noto-cjk); fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'; }
.venv/bin/python -m pytest -q -rs tests/scoring/test_scoring_chromium.py
echo "screenshot: out/report-screenshot.png"
