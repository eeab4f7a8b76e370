#!/usr/bin/env bash
# Published output of two builds on the same fleet: each build's `run` does a 30-day backfill and then the
# night against its own local server (this tree's, same seed, no latency), with the same fixed clock
# (test/helpers/run-child.ts), and bench/board-digest.ts reads back every dataset version and Tables run.
# With LEGACY_ROWS=N the fleet's seed also holds a prior dataset of N rows in the single-file layout over the
# 90 days before the backfill (bench/legacy-seed.ts), which each build's first night migrates or merges onto.
# usage: bench/compare-builds.sh OTHER_TREE [WORKDIR] [SIZE]   (run from this tree after `npm ci`; OTHER_TREE
# is another checkout with its dependencies installed, e.g. `git worktree add ../old c0d4dbc && (cd ../old && npm ci)`)
# Prints "boards identical" and exits 0, or shows the first difference and exits 1.
set -euo pipefail
OTHER=$(cd "$1" && pwd)
HERE=$(pwd)
W=$(mkdir -p "${2:-bench/out/compare}" && cd "${2:-bench/out/compare}" && pwd)
SIZE=${3:-large}
KEY=compare0000000000000000000000000000000000
npm run build --silent
node dist/main.js generate-fleet --size "$SIZE" --days 30 --out "$W/fleet.json" --manifest-out "$W/manifest.json" \
  --config-out "$W/config.yaml" > /dev/null
END=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$W/manifest.json','utf8')).endDate)")
B_END=$(date -u -d "$END -1 day" +%F)
B_START=$(date -u -d "$END -30 day" +%F)
echo "fleet $SIZE: backfill $B_START..$B_END, then the night of $END"
if [ -n "${LEGACY_ROWS:-}" ]; then
  node --import tsx bench/legacy-seed.ts "$W/fleet.json" "$W/config.yaml" "$LEGACY_ROWS" \
    "$(date -u -d "$B_START -90 day" +%F)" 90
  echo "with a single-file prior of $LEGACY_ROWS rows"
fi
for side in other this; do
  tree=$OTHER
  [ "$side" = this ] && tree=$HERE
  rm -rf "$W/$side-data" && mkdir -p "$W/$side-data"
  node dist/main.js local-server --seed "$W/fleet.json" --data-dir "$W/$side-data" --api-key "$KEY" --port 0 \
    > "$W/$side-server.out" 2> "$W/$side-server.log" &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do grep -q '^listening on ' "$W/$side-server.out" && break; sleep 0.5; done
  url=$(sed -n 's/^listening on //p' "$W/$side-server.out")
  for job in "$B_START $B_END ${END}T20:00:00Z" "$END $END ${END}T21:00:00Z"; do
    set -- $job
    (cd "$tree" && WANDB_BASE_URL=$url WANDB_API_KEY=$KEY TEST_NOW=$3 LOG_LEVEL=error \
      node --import tsx test/helpers/run-child.ts run --config "$W/config.yaml" --start-date "$1" --end-date "$2")
  done
  WANDB_BASE_URL=$url WANDB_API_KEY=$KEY node --import tsx bench/board-digest.ts "$W/config.yaml" > "$W/$side-board.json"
  kill "$server" && wait "$server" 2>/dev/null || true
  echo "$side ($tree): $(node -e "const b=require('$W/$side-board.json');console.log(b.versions.length+' dataset versions, '+Object.keys(b.runs).length+' Tables runs')")"
done
if cmp -s "$W/other-board.json" "$W/this-board.json"; then echo "boards identical"; else diff "$W/other-board.json" "$W/this-board.json" | head -20; exit 1; fi
