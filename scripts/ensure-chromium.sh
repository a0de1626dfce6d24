#!/usr/bin/env bash
# The widget's tests need Debian's Chromium. Install it when it is missing and we can (root with
# apt-get); otherwise say exactly what to do. npm never downloads a browser of its own here.
set -euo pipefail
chrome="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$chrome" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the widget tests..."
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The widget tests need Chromium at $chrome: run 'sudo apt-get install -y chromium', or set CHROME_PATH." >&2
exit 1
