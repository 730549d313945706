#!/usr/bin/env bash
# Installs everything Parley needs on Debian/Ubuntu: the Debian packages listed in
# scripts/debian-packages.txt (when running as root, or with sudo) and the npm packages,
# which include Node 24 itself (the `node` devDependency). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(grep -v '^\s*#' scripts/debian-packages.txt | tr -s ' \n' ' ')
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "parley setup: installing Debian packages:$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "parley setup: please install these packages with your system's package manager:$missing" >&2
  fi
fi

if ! command -v npm >/dev/null; then
  echo "parley setup: npm not found; install Node.js (any version ≥ 18) with npm first" >&2
  exit 1
fi
# Reinstall only when the lockfile changed since the last install. The overrides in package.json
# keep node-llama-cpp's GPU builds (~680 MB) out: only its CPU build is installed. No model is
# downloaded here; the built-in one comes on first use or with `parley models pull local:default`.
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "parley setup: installing npm packages (includes Node 24)"
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/node -e 'const [M]=process.versions.node.split(".").map(Number); if (M<24) { console.error("parley setup: Node 24 was not installed"); process.exit(1) }'
node_modules/.bin/node scripts/build-lib.ts # the JavaScript bin/parley.js runs (lib/)
node_modules/.bin/node scripts/build-web.ts
echo "parley setup: ready (node $(node_modules/.bin/node --version))"
