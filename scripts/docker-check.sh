#!/usr/bin/env bash
# `npm run docker:check`: builds Dockerfile.main and Dockerfile.check for real, without a Docker engine, and runs the
# CLI inside each image as the `node` user. A stand-in for `docker build` + `docker run`:
#   - the base `node:20-slim` is a local stand-in (scripts/docker-base-image.sh: Debian bookworm minbase + this
#     machine's Node + a node user, uid 1000), since Docker Hub is not reachable here;
#   - buildah builds with chroot isolation and the vfs storage driver, never pulling (--pull-never);
#   - `npm ci` inside the build reaches the npm registry.
# Needs root (buildah/debootstrap); installs buildah and debootstrap with apt-get when missing.
# Env: GPU_DASHBOARD_BASE_DIR (debootstrap cache, default /var/tmp/gpu-dashboard-base),
#      DOCKER_CHECK_DRY_RUN_ARGS (date arguments for `gpu-dashboard run --dry-run`; default
#      `--start-date 2025-04-10 --end-date 2025-04-23`, the window of the generated small fleet).
set -euo pipefail
cd "$(dirname "$0")/.."

# vfs works without overlay support in the kernel; buildah 1.28 ignores $STORAGE_DRIVER, so pass the flag.
bh() { buildah --storage-driver vfs "$@"; }
brun() { bh run --isolation chroot "$@"; }
TAG=docker-check
started=$(date +%s.%N)
failures=0
containers=()
npmrc=""

log() { printf '[docker-check] %s\n' "$*"; }
fail() { log "FAIL: $*"; failures=$((failures + 1)); }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
cleanup() {
  for c in "${containers[@]}"; do bh rm "$c" >/dev/null 2>&1 || true; done
  [[ -z "$npmrc" ]] || rm -f "$npmrc"
}
trap cleanup EXIT

[[ "$(id -u)" == 0 ]] || { log "needs root (buildah with chroot isolation, debootstrap)"; exit 1; }
[[ -f config.yaml ]] || { log "config.yaml is missing: the images bake it in"; exit 1; }

t=$(date +%s.%N)
bash scripts/docker-base-image.sh
log "base image ready in $(elapsed "$t")"

# This machine may reach the npm registry through a TLS proxy with its own CA (NODE_EXTRA_CA_CERTS). Lend that CA
# bundle to the builds' RUN steps through read-only mounts (npm's global npmrc in the base: /usr/local/etc/npmrc).
# Mounts are not committed (their empty mount points come with the stand-in base), so the images come out as a plain
# `docker build` makes them; checked below.
build_mounts=()
if [[ -n "${NODE_EXTRA_CA_CERTS:-}" && -f "$NODE_EXTRA_CA_CERTS" ]]; then
  npmrc="$(mktemp)"
  printf 'cafile=/run/host-ca/ca.crt\nupdate-notifier=false\n' >"$npmrc"
  build_mounts=(-v "$NODE_EXTRA_CA_CERTS:/run/host-ca/ca.crt:ro" -v "$npmrc:/usr/local/etc/npmrc:ro")
  log "lending the machine's CA bundle ($NODE_EXTRA_CA_CERTS) to npm during the builds"
fi

# build_image KIND IMAGE: builds Dockerfile.KIND. Its build and deps stages are tagged too: untagged, they would
# count as dangling, and the prune at the end would drop them together with the layer cache that makes reruns fast.
build_image() {
  local stage
  for stage in build deps; do
    bh bud --isolation chroot --pull-never --layers "${build_mounts[@]}" --target "$stage" \
      -f "Dockerfile.$1" -t "localhost/gpu-dashboard-$1-$stage:$TAG" . || return 1
  done
  bh bud --isolation chroot --pull-never --layers "${build_mounts[@]}" -f "Dockerfile.$1" -t "$2" .
}

# expect LABEL ACTUAL EXPECTED
expect() {
  if [[ "$2" == "$3" ]]; then log "ok: $1 = $2"; else fail "$1: expected '$3', got '$2'"; fi
}

for kind in main check; do
  image="localhost/gpu-dashboard-$kind:$TAG"
  t=$(date +%s.%N)
  log "building Dockerfile.$kind -> $image"
  if ! build_image "$kind" "$image" >".docker-check-$kind.log" 2>&1; then
    tail -n 40 ".docker-check-$kind.log"
    fail "build of Dockerfile.$kind (full log: .docker-check-$kind.log)"
    continue
  fi
  rm -f ".docker-check-$kind.log"
  log "built $image in $(elapsed "$t")"

  t=$(date +%s.%N)
  fmt='{{.OCIv1.Config.User}}|{{.OCIv1.Config.Entrypoint}}|{{.OCIv1.Config.Cmd}}'
  IFS="|" read -r user entrypoint cmd < <(bh inspect --type image --format "$fmt" "$image"; echo)
  want_cmd=$([[ $kind == main ]] && echo run || echo check)
  expect "$kind image USER" "$user" node
  expect "$kind image ENTRYPOINT" "$entrypoint" '[gpu-dashboard]'
  expect "$kind image CMD" "$cmd" "[$want_cmd]"
  env_names=$(bh inspect --type image --format '{{range .OCIv1.Config.Env}}{{println .}}{{end}}' "$image" | cut -d= -f1)
  if grep -qiE 'KEY|TOKEN|SECRET|PASSWORD|WEBHOOK' <<<"$env_names"; then fail "$kind image sets a secret-like env var"; fi

  ctr=$(bh from --pull-never "$image")
  containers+=("$ctr")
  # No --user: the image's own USER must already be node.
  expect "$kind: whoami (image default user)" "$(brun "$ctr" -- whoami)" node
  expect "$kind: id -u (image default user)" "$(brun "$ctr" -- id -u)" 1000
  expect "$kind: id -u (--user node)" "$(brun --user node "$ctr" -- id -u)" 1000
  if help=$(brun --user node "$ctr" -- gpu-dashboard --help 2>&1); then
    log "ok: gpu-dashboard --help runs as node in $kind (${help%%$'\n'*})"
  else
    echo "$help"
    fail "$kind: gpu-dashboard --help"
  fi
  if brun --user node "$ctr" -- sh -c 'test ! -e /app/src && test ! -e /app/node_modules/typescript && test -f /app/config.yaml && test ! -s /usr/local/etc/npmrc && test ! -s /run/host-ca/ca.crt'; then
    log "ok: $kind holds dist/, production deps and config.yaml only (no src/, no typescript, no build-time CA)"
  else
    fail "$kind: runtime stage carries sources, dev dependencies or the build-time CA mounts, or lacks config.yaml"
  fi

  if [[ $kind == main ]]; then
    if brun --user node "$ctr" -- gpu-dashboard run --help >/dev/null 2>&1; then
      # A small synthetic fleet, the local W&B server and `run --dry-run`, all in one container as node, so they
      # share its loopback interface. The run must end with the pipeline.completed event (docs/behaviour.md §9).
      # shellcheck disable=SC2016
      script='set -e
        cd /tmp
        gpu-dashboard generate-fleet --size small --seed 1 --out fleet.json --config-out fleet-config.yaml \
          >/dev/null 2>gen.err || { cat gen.err; exit 1; }
        gpu-dashboard local-server --port 0 --data-dir /tmp/local-wandb --seed fleet.json --api-key docker-check \
          >ls.out 2>ls.err &
        for _ in $(seq 1 100); do grep -q "listening on" ls.out 2>/dev/null && break; sleep 0.1; done
        url=$(sed -n "s/^listening on //p" ls.out | head -n1)
        test -n "$url" || { cat ls.err; exit 1; }
        WANDB_BASE_URL="$url" WANDB_API_KEY=docker-check \
          gpu-dashboard run --config fleet-config.yaml --dry-run --out /tmp/out "$@" 2>run.err || { tail -n 20 run.err; exit 1; }
        tail -n 1 run.err | grep -q "pipeline.completed" || { tail -n 5 run.err; exit 1; }
        ls /tmp/out'
      # shellcheck disable=SC2086
      if out=$(brun --user node "$ctr" -- sh -c "$script" sh ${DOCKER_CHECK_DRY_RUN_ARGS:---start-date 2025-04-10 --end-date 2025-04-23}); then
        log "ok: gpu-dashboard run --dry-run against the local W&B server, as node (wrote: ${out//$'\n'/ })"
      else
        echo "$out"
        fail "main: gpu-dashboard run --dry-run against the local W&B server"
      fi
    else
      log "NOTE: skipped 'gpu-dashboard run --dry-run' against the local W&B server: 'gpu-dashboard run --help' fails in this build (the run command does not exist yet)"
    fi
  fi
  log "checked $kind in $(elapsed "$t")"
done

# vfs keeps full copies per layer: drop images left dangling by earlier builds (the cache of these builds stays).
t=$(date +%s.%N)
bh rmi --prune >/dev/null 2>&1 || true
log "pruned dangling images in $(elapsed "$t")"

log "total $(elapsed "$started")"
if ((failures > 0)); then
  log "$failures check(s) failed"
  exit 1
fi
log "both images built; commands run as node (uid 1000)"
