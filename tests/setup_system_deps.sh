#!/usr/bin/env bash
# Install what the export and browser tests check against, only when missing:
# Debian's graphviz (`dot`) and chromium, and the npm Mermaid parser in tests/js.
# Idempotent: a second run installs nothing. Runs as root in CI; elsewhere it
# uses sudo when it has to install a Debian package.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Fonts so that screenshots and the SVG map have legible glyphs.
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup_system_deps: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm ci writes node_modules/.package-lock.json; a tree newer than the lock
# file is up to date.
if [ ! "$here/js/node_modules/.package-lock.json" -nt "$here/js/package-lock.json" ]; then
    echo "setup_system_deps: npm ci in tests/js"
    (cd "$here/js" && npm ci --no-audit --no-fund --loglevel=error)
fi
