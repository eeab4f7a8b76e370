#!/usr/bin/env bash
# All infra checks, for `npm run infra:test` and the lead's .ci/run:
#   npm ci, typecheck, offline synth + cfn-lint, Dockerfile lint, vitest (assertions + moto_server deployment).
# Every step runs even if an earlier one failed; exits non-zero if any failed. The last line names the vitest JSON
# report (numPassedTests / numFailedTests) so callers can add the counts to their own.
# Env: INFRA_VITEST_JSON (default infra/.tmp/vitest.json), INFRA_SKIP_NPM_CI=1 to reuse infra/node_modules.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
infra_dir="$(pwd)"
report="${INFRA_VITEST_JSON:-$infra_dir/.tmp/vitest.json}"
mkdir -p "$(dirname "$report")"
rm -f "$report"
failed=()

step() {
  local name="$1"
  shift
  local t0
  t0=$(date +%s.%N)
  echo "== infra: $name"
  if "$@"; then
    echo "== infra: $name ok ($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'))"
  else
    echo "== infra: $name FAILED"
    failed+=("$name")
  fi
}

if [[ "${INFRA_SKIP_NPM_CI:-}" != 1 ]]; then
  step "npm ci" npm ci --no-audit --no-fund
fi
step "typecheck" npx tsc -p tsconfig.json --noEmit
step "synth + cfn-lint" bash scripts/cfn-lint.sh
step "dockerfile lint" npx tsx scripts/lint-dockerfiles.ts ../Dockerfile.main=run ../Dockerfile.check=check
step "vitest" npx vitest run --reporter=default --reporter=json --outputFile.json="$report"

if [[ -f "$report" ]]; then
  # shellcheck disable=SC2016
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`infra tests: passed=${r.numPassedTests} failed=${r.numFailedTests}`);
  ' "$report"
fi
if ((${#failed[@]} > 0)); then
  echo "infra: failed steps: ${failed[*]}"
fi
echo "infra vitest json: $report"
((${#failed[@]} == 0))
