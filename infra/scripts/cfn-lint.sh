#!/usr/bin/env bash
# Synthesizes the app offline (the committed settings.json, and the existing-VPC fixture with a concrete account,
# which must need no context lookup) and runs cfn-lint on every template. Any cfn-lint finding fails.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cfn-lint >/dev/null || { echo "cfn-lint is required (pip install cfn-lint)"; exit 1; }

variant_out=.tmp/cdk.out.existing-vpc
rm -rf cdk.out "$variant_out"
npx cdk synth --quiet >/dev/null
npx cdk synth --quiet -c settingsFile=test/fixtures/settings-existing-vpc.json -o "$variant_out" >/dev/null
# A lookup would have left its answer (or a dummy) here; synth must be self-contained.
if [[ -e cdk.context.json ]]; then echo "cdk.context.json appeared: something looked up the account at synth"; exit 1; fi

templates=(cdk.out/*.template.json "$variant_out"/*.template.json)
echo "cfn-lint $(cfn-lint --version | awk '{print $2}') on ${templates[*]}"
cfn-lint "${templates[@]}"
echo "cfn-lint: no findings"
