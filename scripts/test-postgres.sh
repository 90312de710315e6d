#!/usr/bin/env bash
# `npm run test:postgres`: `npm test` with the PostgreSQL variants required, against a throwaway server that is
# stopped and deleted afterwards (also when the tests fail or the run is interrupted). Needs PostgreSQL's server
# binaries installed (Debian: apt-get install postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/throwaway-postgres.sh start)"
cleanup() {
  echo "[test:postgres] stopping the throwaway PostgreSQL in $THROWAWAY_POSTGRES_DIR" >&2
  scripts/throwaway-postgres.sh stop "$THROWAWAY_POSTGRES_DIR"
}
trap cleanup EXIT
trap 'echo "[test:postgres] interrupted" >&2; exit 130' INT TERM HUP
export REQUIRE_POSTGRES_TESTS=1
# In its own session, so signals the tests send to their process groups never reach this script.
setsid --wait npm test
