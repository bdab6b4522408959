#!/bin/sh
# bench/hook-pre-push.sh [BIN] - the pre-push hook on a large history.
#
# A 200,000-commit repository (bench/mkhistory.sh, kept in $BENCH_DIR
# between runs) with a remote that has all of it; two pushes of 10 new
# commits each: a branch on the remote's tip ("fresh") and a branch on a
# commit 150,000 commits back ("old base").  For each, in the same run:
#   git:  git rev-list NEW --not --remotes=origin
#   hook: git embargo hook pre-push origin URL   (the whole hook: list,
#         new commits, scan), fed the line git would give it
# without a commit-graph and with the one git writes by default
# (generation data, which libgit2 1.5 cannot read).  Also the floor:
# starting each program and doing nothing.  Median of $RUNS runs, in ms.
#
#   BENCH_DIR=/tmp/embargo-bench RUNS=9 COMMITS=200000 sh bench/hook-pre-push.sh
set -eu
BIN=${1:-$(pwd)/git-embargo}
BENCH_DIR=${BENCH_DIR:-/tmp/embargo-bench}
RUNS=${RUNS:-9}
COMMITS=${COMMITS:-200000}
OLD=${OLD:-150000}
here=$(cd "$(dirname "$0")" && pwd)
repo=$BENCH_DIR/hook-history-$COMMITS
# this script's own files: BENCH_DIR may be shared with other benchmarks
W=$BENCH_DIR/hook-pre-push

. "$here/hook-lib.sh"
rm -rf "$W/remote.git" "$W/dev"
git clone -q --bare "$repo" "$W/remote.git"
git clone -q --no-checkout "$W/remote.git" "$W/dev"
dev=$W/dev
url=$W/remote.git
for b in fresh:origin/main old:origin/main~$OLD; do
	name=${b%%:*}
	git -C "$dev" branch -q "$name" "${b#*:}"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		tree=$(git -C "$dev" rev-parse "$name^{tree}")
		c=$(echo "$name work $i" | git -C "$dev" commit-tree "$tree" -p "$name")
		git -C "$dev" update-ref "refs/heads/$name" "$c"
	done
done

now() { date +%s%N; }

# "wall/cpu": the median wall time of RUNS runs of a command, and the
# mean CPU time (user + system, all its processes) per run, in ms.  Wall
# time is what a user waits; CPU time what the work costs, and it is less
# skewed by other load on the machine.  The CPU loop runs apart, so the
# clock readings of the wall loop do not count.
measure() {
	i=0
	: >"$W/times"
	while [ $i -lt "$RUNS" ]; do
		t0=$(now)
		"$@" >/dev/null 2>&1 <"$W/stdin" || [ $? -eq 1 ]
		t1=$(now)
		echo $(( (t1 - t0) / 100000 )) >>"$W/times"
		i=$((i + 1))
	done
	(
		i=0
		while [ $i -lt "$RUNS" ]; do
			"$@" >/dev/null 2>&1 <"$W/stdin" || [ $? -eq 1 ]
			i=$((i + 1))
		done
		times >"$W/cpu"
	)
	cpu=$(sed -n 2p "$W/cpu" | awk -v runs="$RUNS" '{
		n = 0
		for (f = 1; f <= 2; f++) {
			split($f, p, "m"); sub("s", "", p[2]); n += p[1] * 60 + p[2]
		}
		printf "%.1f", n * 1000 / runs
	}')
	wall=$(sort -n "$W/times" | sed -n "$(( (RUNS + 1) / 2 ))p" |
		awk '{ printf "%.1f", $1 / 10 }')
	echo "$wall/$cpu"
}

hook() { env -C "$dev" "$BIN" hook pre-push origin "$url"; }
installed() { env -C "$dev" .git/hooks/pre-push origin "$url"; }
gitrl() { git -C "$dev" rev-list "$new" --not --remotes=origin; }

: >"$W/stdin"
floor_git=$(measure git --version)
floor_hook=$(measure "$BIN" --version)
floor_empty=$(measure hook) # no ref updates: libgit2 set up, repo, list

echo "pre-push: 10 new commits, $COMMITS-commit history; ms as wall/cpu: median wall, mean CPU of $RUNS runs"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "floor: git --version $floor_git; git-embargo --version $floor_hook (before libgit2 starts);"
echo "       the hook with an empty push $floor_empty (libgit2 started, repository, config, list, matcher)"
git -C "$dev" embargo install >/dev/null
echo "git: git rev-list NEW --not --remotes=origin; hook: git-embargo hook pre-push;"
echo "installed: .git/hooks/pre-push as git runs it (sh, git, git-embargo)"
printf '%-9s %-12s %13s %13s %9s %13s  %s\n' case commit-graph git hook \
	ratio installed "hook's own account"
for graph in none git-default; do
	rm -rf "$dev/.git/objects/info/commit-graph" \
		"$dev/.git/objects/info/commit-graphs"
	[ "$graph" = none ] || git -C "$dev" commit-graph write --reachable 2>/dev/null
	for name in fresh old; do
		new=$(git -C "$dev" rev-parse "$name")
		echo "refs/heads/$name $new refs/heads/$name 0000000000000000000000000000000000000000" \
			>"$W/stdin"
		n=$(gitrl | wc -l)
		[ "$n" -eq 10 ] || { echo "expected 10 new commits, git says $n" >&2; exit 1; }
		tg=$(measure gitrl)
		th=$(measure hook)
		ti=$(measure installed)
		v=$(env -C "$dev" "$BIN" hook --verbose pre-push origin "$url" \
			<"$W/stdin" 2>&1 | sed -n 's/^git-embargo: pre-push: //p')
		printf '%-9s %-12s %13s %13s %9s %13s  %s\n' \
			"$([ $name = old ] && echo old-base || echo fresh)" "$graph" \
			"$tg" "$th" "$(echo "$th $tg" | awk '{
				split($1, h, "/"); split($2, g, "/")
				printf "%.2f/%.2f", h[1] / g[1], (g[2] > 0 ? h[2] / g[2] : 0) }')" \
			"$ti" "$v"
	done
done
