#!/usr/bin/env bash
# Builds both images, tags them with the commit (or --tag), pushes them to the ECR repositories of the
# repositories stack, optionally uploads the config, and deploys the tasks stack with -c imageTag=<tag>.
# See docs/deployment.md ("Release"). Not run in CI. Written for bash 3.2 too (macOS).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/release.sh [options]

Build Dockerfile.main and Dockerfile.check, push them to ECR under one tag, and deploy the
tasks stack (infra/) so that both task definitions run exactly that tag.

Options:
  --tag TAG          image tag (default: the short git commit; refused if the work tree is dirty,
                     unless --allow-dirty). "latest" is refused: ECR tags are immutable.
  --allow-dirty      allow a default tag from a commit with uncommitted changes
  --upload-config    also upload the config.yaml named by infra/settings.json (configFile) to the
                     config bucket before deploying (synth checks it agrees with the settings)
  --no-deploy        build and push only
  --builder CMD      docker or buildah (default: docker if found, else buildah)
  -c KEY=VALUE       extra CDK context for cdk deploy (repeatable), e.g. -c account=123456789012
  -h, --help         show this help

Environment: AWS credentials and region as for the AWS CLI (AWS_PROFILE, AWS_REGION, ...); the
region must be the settings' region. Needs aws, git, node/npx, and docker or buildah.

The repositories stack must exist first (once):
  (cd infra && npx cdk deploy GpuDashboard-Repositories)

Example:
  scripts/release.sh --upload-config -c account=123456789012
EOF
}

die() {
  echo "release: $*" >&2
  exit 1
}

tag=""
allow_dirty=0
upload_config=0
deploy=1
builder=""
context=()
while (($# > 0)); do
  case "$1" in
    --tag) tag="${2:?--tag needs a value}"; shift 2 ;;
    --allow-dirty) allow_dirty=1; shift ;;
    --upload-config) upload_config=1; shift ;;
    --no-deploy) deploy=0; shift ;;
    --builder) builder="${2:?--builder needs docker or buildah}"; shift 2 ;;
    -c) context+=(-c "${2:?-c needs KEY=VALUE}"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

for cmd in aws git npx; do command -v "$cmd" >/dev/null || die "$cmd is required"; done
if [[ -z "$builder" ]]; then
  if command -v docker >/dev/null; then builder=docker; elif command -v buildah >/dev/null; then builder=buildah; fi
fi
[[ "$builder" == docker || "$builder" == buildah ]] || die "docker or buildah is required (--builder)"
command -v "$builder" >/dev/null || die "$builder not found"

if [[ -z "$tag" ]]; then
  tag="$(git rev-parse --short=12 HEAD)"
  if [[ -n "$(git status --porcelain)" ]]; then
    ((allow_dirty)) || die "the work tree has uncommitted changes: commit them, or pass --tag / --allow-dirty"
    tag="$tag-dirty-$(date -u +%Y%m%d%H%M%S)"
  fi
fi
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "not a valid image tag: $tag"
[[ "$(printf '%s' "$tag" | tr '[:upper:]' '[:lower:]')" != latest ]] ||
  die '"latest" is not deployable: use a commit or version tag'

# Fail before building: synth checks the settings and that the config.yaml to deploy agrees with them.
cdk_context=(-c imageTag="$tag" ${context[@]+"${context[@]}"})
echo "release: checking the settings (cdk synth)"
(cd infra && npx cdk synth --quiet "${cdk_context[@]}" >/dev/null)

# Names come from the deployed repositories stack, so this script and infra/settings.json cannot disagree.
stack_name="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).stackName)' \
  infra/settings.json)"
repositories_stack="$stack_name-Repositories"
output() {
  aws cloudformation describe-stacks --stack-name "$repositories_stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
main_uri="$(output MainRepositoryUri)" || die "no stack $repositories_stack: deploy it first (docs/deployment.md)"
check_uri="$(output CheckRepositoryUri)"
[[ -n "$main_uri" && "$main_uri" != None ]] || die "$repositories_stack has no MainRepositoryUri output"
registry="${main_uri%%/*}"

echo "release: tag $tag -> $main_uri, $check_uri ($builder)"
aws ecr get-login-password | "$builder" login --username AWS --password-stdin "$registry"

# The task definitions ask for X86_64.
build_and_push() {
  local dockerfile="$1" image="$2"
  if [[ "$builder" == docker ]]; then
    docker build --platform linux/amd64 -f "$dockerfile" -t "$image" .
    docker push "$image"
  else
    buildah bud --platform linux/amd64 -f "$dockerfile" -t "$image" .
    buildah push "$image" "docker://$image"
  fi
}
build_and_push Dockerfile.main "$main_uri:$tag"
build_and_push Dockerfile.check "$check_uri:$tag"

if ((upload_config)); then
  config_file="$(node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(require("path").resolve(process.argv[2], s.configFile ?? "../config.yaml"));
  ' infra/settings.json infra)"
  config_uri="$(output ConfigObjectUri)"
  echo "release: uploading $config_file to $config_uri"
  aws s3 cp "$config_file" "$config_uri"
fi

if ((deploy)); then
  (cd infra && npx cdk deploy "$stack_name" --require-approval never "${cdk_context[@]}")
fi
echo "release: done ($tag)"
