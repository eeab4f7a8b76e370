#!/usr/bin/env bash
# `npm run docker:check`: builds Dockerfile.main and Dockerfile.check for real, without a Docker engine, and runs the
# CLI inside each image as the `node` user. A stand-in for `docker build` + `docker run`:
#   - the base `node:<.node-version>-bookworm-slim` is a local stand-in (scripts/docker-base-image.sh: Debian
#     bookworm minbase + the Node first on PATH, which must be that release + a node user, uid 1000), since Docker
#     Hub is not reachable here; .ci/run puts that Node first on PATH (by hand: source .ci/install-node.sh;
#     install_ci_node);
#   - buildah builds with chroot isolation and the vfs storage driver, never pulling (--pull-never);
#   - `npm ci` inside the build reaches the npm registry.
# Leaves no process behind: it runs in a PID namespace of its own, whose PID 1 (this script) ends every other process
# in it on exit, and the kernel ends whatever is left when that PID 1 ends, however it ends.
# Needs root (buildah/debootstrap, unshare); installs buildah and debootstrap with apt-get when missing.
# Env: GPU_DASHBOARD_BASE_DIR (debootstrap cache, default /var/tmp/gpu-dashboard-base),
#      DOCKER_CHECK_DRY_RUN_ARGS (date arguments for `gpu-dashboard run --dry-run`; default
#      `--start-date 2025-04-10 --end-date 2025-04-23`, the window of the generated small fleet).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[docker-check] %s\n' "$*"; }
[[ "$(id -u)" == 0 ]] || { log "needs root (buildah with chroot isolation, debootstrap, unshare)"; exit 1; }

# What this starts includes buildah, the builds' RUN steps and a local W&B server inside the main image, and not all
# of it stays this script's child: so the script re-runs itself as PID 1 of a new PID namespace.
if [[ -z "${DOCKER_CHECK_PID_NS:-}" ]]; then
  DOCKER_CHECK_PID_NS=1 unshare --pid --fork --kill-child=SIGTERM bash scripts/docker-check.sh "$@" &
  ns=$!
  # unshare holds SIGINT and SIGTERM back while it waits, so hand them to the script inside.
  trap 'kill -TERM $(cat "/proc/$ns/task/$ns/children" 2>/dev/null) 2>/dev/null || true' INT TERM
  while :; do
    status=0
    wait "$ns" || status=$?
    kill -0 "$ns" 2>/dev/null || exit "$status"
  done
fi

# vfs works without overlay support in the kernel; buildah 1.28 ignores $STORAGE_DRIVER, so pass the flag.
bh() { buildah --storage-driver vfs "$@"; }
brun() { bh run --isolation chroot "$@"; }
TAG=docker-check
started=$(date +%s.%N)
failures=0
containers=()
npmrc=""

fail() { log "FAIL: $*"; failures=$((failures + 1)); }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
# As PID 1 here, kill -1 reaches every other process in the namespace, and only those: a running build, a RUN step,
# a server a container script left behind. They go first, so that no buildah holds the storage lock for `bh rm`.
stop_all() {
  kill -TERM -1 2>/dev/null || return 0
  for _ in $(seq 100); do
    sleep 0.1
    kill -0 -1 2>/dev/null || return 0
  done
  log "killing what did not stop within 10 s of SIGTERM"
  kill -KILL -1 2>/dev/null || true
}
cleanup() {
  trap '' INT TERM
  stop_all
  for c in "${containers[@]}"; do bh rm "$c" >/dev/null 2>&1 || true; done
  [[ -z "$npmrc" ]] || rm -f "$npmrc"
}
trap cleanup EXIT
# PID 1 ignores signals it has no handler for; exiting runs the EXIT trap.
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# in_background CMD...: bash runs a trap only once the foreground command ends; a background one it waits for can be
# interrupted at once, and the long steps (debootstrap, the image builds) take minutes.
in_background() {
  local rc=0
  "$@" &
  wait "$!" || rc=$?
  return "$rc"
}

NODE_RELEASE="$(tr -d '[:space:]' <.node-version)"
[[ -f config.yaml ]] || { log "config.yaml is missing: the dry run in the main image reads it (mounted, not baked in)"; exit 1; }
t=$(date +%s.%N)
in_background bash scripts/docker-base-image.sh || { log "FAIL: no stand-in base image (see above)"; exit 1; }
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
  if ! in_background build_image "$kind" "$image" >".docker-check-$kind.log" 2>&1; then
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
  # The task's environment names the config (a file or s3://bucket/key); the image has no default to fall back on.
  if grep -qx 'GPU_DASHBOARD_CONFIG' <<<"$env_names"; then fail "$kind image sets GPU_DASHBOARD_CONFIG"; fi

  ctr=$(bh from --pull-never "$image")
  containers+=("$ctr")
  # No --user: the image's own USER must already be node.
  expect "$kind: whoami (image default user)" "$(brun "$ctr" -- whoami)" node
  expect "$kind: id -u (image default user)" "$(brun "$ctr" -- id -u)" 1000
  expect "$kind: id -u (--user node)" "$(brun --user node "$ctr" -- id -u)" 1000
  expect "$kind: node --version" "$(brun --user node "$ctr" -- node --version)" "v$NODE_RELEASE"
  if help=$(brun --user node "$ctr" -- gpu-dashboard --help 2>&1); then
    log "ok: gpu-dashboard --help runs as node in $kind (${help%%$'\n'*})"
  else
    echo "$help"
    fail "$kind: gpu-dashboard --help"
  fi
  if brun --user node "$ctr" -- sh -c 'test ! -e /app/src && test ! -e /app/node_modules/typescript && test ! -e /app/config.yaml && test -f /app/dist/main.js && test ! -s /usr/local/etc/npmrc && test ! -s /run/host-ca/ca.crt'; then
    log "ok: $kind holds dist/ and production deps only (no src/, no typescript, no config.yaml, no build-time CA)"
  else
    fail "$kind: runtime stage carries sources, dev dependencies, a config.yaml or the build-time CA mounts, or lacks dist/"
  fi
  # No config in the image and none named: the command stops with exit 2 rather than run on a config nobody chose.
  rc=0
  out=$(brun --user node "$ctr" -- gpu-dashboard "$want_cmd" 2>&1) || rc=$?
  if [[ $rc == 2 ]] && grep -qi 'config' <<<"$out"; then
    log "ok: gpu-dashboard $want_cmd without a config exits 2 in $kind, naming the missing config"
  else
    tail -n 5 <<<"$out"
    fail "$kind: gpu-dashboard $want_cmd without a config: expected exit 2 naming the config, got $rc"
  fi

  if [[ $kind == main ]]; then
    if brun --user node "$ctr" -- gpu-dashboard run --help >/dev/null 2>&1; then
      # A small synthetic fleet, the local W&B server and `run --dry-run`, all in one container as node, so they
      # share its loopback interface. The run must end with the pipeline.completed event (docs/behaviour.md §9).
      # As in a deployed task, the config is a file from outside named by GPU_DASHBOARD_CONFIG: the repository's
      # config.yaml, mounted, for the fleet; the fleet's own config for the run. The server stops with the script.
      # shellcheck disable=SC2016
      script='set -e
        cd /tmp
        GPU_DASHBOARD_CONFIG=/run/programme/config.yaml \
          gpu-dashboard generate-fleet --size small --seed 1 --out fleet.json --config-out fleet-config.yaml \
          >/dev/null 2>gen.err || { cat gen.err; exit 1; }
        gpu-dashboard local-server --port 0 --data-dir /tmp/local-wandb --seed fleet.json --api-key docker-check \
          >ls.out 2>ls.err &
        server=$!
        trap "kill $server 2>/dev/null || true" EXIT
        trap "exit 1" INT TERM
        for _ in $(seq 1 100); do grep -q "listening on" ls.out 2>/dev/null && break; sleep 0.1; done
        url=$(sed -n "s/^listening on //p" ls.out | head -n1)
        test -n "$url" || { cat ls.err; exit 1; }
        GPU_DASHBOARD_CONFIG=/tmp/fleet-config.yaml WANDB_BASE_URL="$url" WANDB_API_KEY=docker-check \
          gpu-dashboard run --dry-run --out /tmp/out "$@" 2>run.err || { tail -n 20 run.err; exit 1; }
        tail -n 1 run.err | grep -q "pipeline.completed" || { tail -n 5 run.err; exit 1; }
        ls /tmp/out'
      # shellcheck disable=SC2086
      if out=$(brun --user node -v "$PWD/config.yaml:/run/programme/config.yaml:ro" "$ctr" -- sh -c "$script" sh \
        ${DOCKER_CHECK_DRY_RUN_ARGS:---start-date 2025-04-10 --end-date 2025-04-23}); then
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
