#!/usr/bin/env bash
# `npm run test:postgres`: `npm test` with the PostgreSQL variants required, against a throwaway server that is
# stopped and deleted afterwards (also when the tests fail). Needs PostgreSQL's server binaries installed.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/throwaway-postgres.sh start)"
trap 'scripts/throwaway-postgres.sh stop "$THROWAWAY_POSTGRES_DIR"' EXIT
export REQUIRE_POSTGRES_TESTS=1
npm test
