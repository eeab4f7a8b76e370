#!/usr/bin/env bash
# Synthesizes the app offline and runs cfn-lint on every template. Any cfn-lint finding fails.
#   - the committed settings.json, which has no image tag: `cdk synth` of the tasks stack must refuse it, naming
#     the setting, while the repositories stack (deployed before any image exists) synthesizes without one;
#   - the committed settings.json with -c imageTag (both stacks, linted);
#   - the existing-VPC fixture with a concrete account (must need no context lookup; linted).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cfn-lint >/dev/null || { echo "cfn-lint is required (pip install cfn-lint)"; exit 1; }

untagged_out=.tmp/cdk.out.untagged
variant_out=.tmp/cdk.out.existing-vpc
rm -rf cdk.out "$untagged_out" "$variant_out"

if refusal=$(npx cdk synth --quiet GpuDashboard -o "$untagged_out" 2>&1); then
  echo "cdk synth of the tasks stack succeeded without an image tag"; exit 1
fi
grep -qF 'imageTags.main: set an explicit image tag or digest' <<<"$refusal" ||
  { echo "$refusal"; echo "cdk synth without an image tag failed, but without naming imageTags.main"; exit 1; }
npx cdk synth --quiet GpuDashboard-Repositories -o "$untagged_out" >/dev/null
echo "synth: the tasks stack refuses an unset image tag; the repositories stack needs none"

npx cdk synth --quiet -c imageTag=ci-0000000 >/dev/null
npx cdk synth --quiet -c settingsFile=test/fixtures/settings-existing-vpc.json -o "$variant_out" >/dev/null
# A lookup would have left its answer (or a dummy) here; synth must be self-contained.
if [[ -e cdk.context.json ]]; then echo "cdk.context.json appeared: something looked up the account at synth"; exit 1; fi

templates=(cdk.out/*.template.json "$variant_out"/*.template.json)
echo "cfn-lint $(cfn-lint --version | awk '{print $2}') on ${templates[*]}"
cfn-lint "${templates[@]}"
echo "cfn-lint: no findings"
