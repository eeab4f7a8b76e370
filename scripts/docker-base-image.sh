#!/usr/bin/env bash
# Builds a local stand-in for the official `node:<release in .node-version>-bookworm-slim` image, the Dockerfiles'
# base, so that they can be built with buildah on a machine that has no Docker engine and no access to Docker Hub:
#   Debian bookworm minbase (debootstrap, from the machine's own Debian mirror)
#   + the Node installation first on PATH (node binary + npm beside it), which must be that exact release:
#     .ci/install-node.sh puts it there (.ci/run does; by hand: source .ci/install-node.sh; install_ci_node)
#   + a `node` user and group with uid/gid 1000, as in the official image.
# The result is committed under the Dockerfiles' FROM name (docker.io/library/node:24.x.y-bookworm-slim) in buildah's
# local storage (vfs driver). The debootstrap rootfs is cached under $GPU_DASHBOARD_BASE_DIR (default
# /var/tmp/gpu-dashboard-base), and the image is rebuilt only when it is missing or was made from another Node build.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_DIR="${GPU_DASHBOARD_BASE_DIR:-/var/tmp/gpu-dashboard-base}"
ROOTFS="$BASE_DIR/rootfs"
NODE_RELEASE="$(tr -d '[:space:]' <.node-version)"
TAG="node:$NODE_RELEASE-bookworm-slim"
IMAGE="docker.io/library/$TAG"
SUITE=bookworm
# vfs works without overlay support in the kernel; buildah 1.28 ignores $STORAGE_DRIVER, so pass the flag.
bh() { buildah --storage-driver vfs "$@"; }

log() { printf '[docker-base] %s\n' "$*" >&2; }

# The first Debian (non-security) mirror apt is configured with: deb822 "URIs:" or one-line "deb URL suite".
debian_mirror() {
  local uri
  uri="$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | grep '/debian/\?$' | head -n1 || true)"
  if [[ -z "$uri" ]]; then
    uri="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | grep '/debian/\?$' | head -n1 || true)"
  fi
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

install_tools() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

make_rootfs() {
  if [[ -f "$ROOTFS/.debootstrap-complete" ]]; then
    log "reusing cached rootfs $ROOTFS"
    return
  fi
  local mirror
  mirror="$(debian_mirror)"
  log "debootstrap --variant=minbase $SUITE from $mirror (first run only)"
  rm -rf "$ROOTFS"
  mkdir -p "$BASE_DIR"
  debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$mirror" >"$BASE_DIR/debootstrap.log" 2>&1 ||
    { tail -n 30 "$BASE_DIR/debootstrap.log" >&2; exit 1; }
  # Trim what a slim image does not carry.
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
    "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/locale/*
  chroot "$ROOTFS" groupadd --gid 1000 node
  chroot "$ROOTFS" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  touch "$ROOTFS/.debootstrap-complete"
}

node_version="$(node --version 2>/dev/null || true)"
if [[ "$node_version" != "v$NODE_RELEASE" ]]; then
  log "the stand-in for $TAG is made from the node first on PATH, which is ${node_version:-missing} ($(command -v node || echo none)), not v$NODE_RELEASE"
  log "put Node $NODE_RELEASE first on PATH: source .ci/install-node.sh; install_ci_node   (.ci/run does this)"
  exit 1
fi
# Bump when the image's recipe below changes, so that cached images are rebuilt.
base_id="$node_version/r2"

image_is_current() {
  bh inspect --type image --format '{{index .OCIv1.Config.Labels "gpu-dashboard.base-id"}}' "$IMAGE" \
    2>/dev/null | grep -qxF "$base_id"
}

install_tools
if image_is_current; then
  log "$IMAGE ($base_id) already in local storage"
  exit 0
fi
make_rootfs

node_bin="$(readlink -f "$(command -v node)")"
node_prefix="$(dirname "$(dirname "$node_bin")")"
npm_dir="$node_prefix/lib/node_modules/npm"
[[ -f "$npm_dir/bin/npm-cli.js" ]] || { log "npm not found at $npm_dir"; exit 1; }

log "committing $IMAGE with Node $node_version from $node_bin"
ctr="$(bh from scratch)"
trap 'bh rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt="$(bh mount "$ctr")"
cp -a "$ROOTFS"/. "$mnt"/
rm -f "$mnt/.debootstrap-complete"
install -D -m 0755 "$node_bin" "$mnt/usr/local/bin/node"
mkdir -p "$mnt/usr/local/lib/node_modules"
cp -a "$npm_dir" "$mnt/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
# Empty mount points for docker-check.sh, which mounts the machine's CA bundle and an npmrc naming it over these
# during builds; existing in the base, they add nothing to the layers the Dockerfiles build.
mkdir -p "$mnt/run/host-ca" "$mnt/usr/local/etc"
: >"$mnt/run/host-ca/ca.crt"
: >"$mnt/usr/local/etc/npmrc"
bh umount "$ctr" >/dev/null
bh config \
  --env "NODE_VERSION=${node_version#v}" \
  --env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --label "gpu-dashboard.base-id=$base_id" \
  --label "gpu-dashboard.stand-in-for=$TAG" \
  --cmd node \
  "$ctr"
bh commit --quiet "$ctr" "$IMAGE" >/dev/null
log "done: $IMAGE"
# Stand-ins for earlier pins (node:20-slim, older releases) would only take room: vfs copies every layer in full.
while read -r old; do
  [[ "$old" != "$IMAGE" ]] || continue
  log "removing the earlier stand-in $old"
  bh rmi "$old" >/dev/null 2>&1 || true
done < <(bh images --noheading --filter label=gpu-dashboard.base-id --format '{{.Name}}:{{.Tag}}' 2>/dev/null |
  grep '^docker.io/library/node:' || true)
