#!/bin/sh
# gen.sh - make (once) the synthetic benchmark repository.
#
#   sh bench/gen.sh [COMMITS]        (default 200000)
#
# Prints the path of a bare repository, $BENCH_DIR/synth-COMMITS.git
# (BENCH_DIR defaults to /tmp/embargo-bench), made with git fast-import
# from bench/gen-history.pl and then packed as `git gc` would leave it:
# one pack with fresh deltas (fast-import only deltas a blob against the
# blob written just before it, which is not how a real pack looks) and a
# commit-graph in git's default form.  A repository that is already
# complete is reused; delete it to make a new one.
#
# Next to the repository: COMMITS.manifest, one planted reference a line
# ("message|line|path|miss-... <commit id> <text>"), for bench/run.sh to
# check what the scanner finds.
#
# About 10-15 minutes and 1 GB of disk for 200,000 commits on 2 cores.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
commits=${1:-200000}
BENCH_DIR=${BENCH_DIR:-/tmp/embargo-bench}
repo=$BENCH_DIR/synth-$commits.git

if [ -f "$repo/bench-complete" ]; then
	echo "$repo"
	exit 0
fi
mkdir -p "$BENCH_DIR"
rm -rf "$repo" "$repo.tmp"
git init -q --bare "$repo.tmp"
git -C "$repo.tmp" symbolic-ref HEAD refs/heads/main

echo "gen: writing $commits commits with git fast-import" >&2
start=$(date +%s)
# fast-import frees and reallocates a buffer per blob; glibc's default
# heap trimming turns that into brk() calls that cost 5x the import.
perl "$here/gen-history.pl" --commits "$commits" \
	--manifest "$repo.tmp/manifest.marks" |
	GLIBC_TUNABLES=glibc.malloc.trim_threshold=536870912:glibc.malloc.top_pad=67108864 \
	git -C "$repo.tmp" fast-import --quiet \
		--export-marks="$repo.tmp/marks"
echo "gen: imported in $(($(date +%s) - start)) s; repacking" >&2

start=$(date +%s)
git -C "$repo.tmp" repack -a -d -f -q
git -C "$repo.tmp" commit-graph write --reachable 2>/dev/null
git -C "$repo.tmp" prune-packed
echo "gen: repacked in $(($(date +%s) - start)) s" >&2

# marks to commit ids in the manifest
awk 'NR == FNR { sha[$1] = $2; next }
     $2 ~ /^:/ { $2 = sha[$2] } { print }' \
	"$repo.tmp/marks" "$repo.tmp/manifest.marks" > "$BENCH_DIR/synth-$commits.manifest"
rm -f "$repo.tmp/marks" "$repo.tmp/manifest.marks"
touch "$repo.tmp/bench-complete"
mv "$repo.tmp" "$repo"
echo "$repo"
