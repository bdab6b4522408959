#!/bin/sh
# graph.sh - what a commit-graph does for the scanner, in each form git
# writes one.
#
#   sh bench/graph.sh BINARY REPO
#
# Makes three copies of REPO in $BENCH_DIR (packs hard-linked, so cheap;
# REPO itself is not changed) and writes in them:
#   none  no commit-graph at all
#   v2    `git commit-graph write --reachable` (git 2.36+ default:
#         generation data chunk GDA2, which libgit2 1.5.1 rejects)
#   v1    `git -c commitGraph.generationVersion=1 commit-graph write
#         --reachable` (libgit2 1.5.1 reads it)
# then times, every command once per round (BENCH_RUNS, default 3):
#   --all:   git rev-list, git log --format=%B, scan --no-diffs at
#            --threads=1 and 2 (no hides: the scanner walks by itself)
#   range:   git rev-list and scan --no-diffs over GRAPH_RANGE (default
#            HEAD~5000..HEAD, resolved to ids first): hides, so a
#            libgit2 revwalk, which is what reads the commit-graph
#   push:    one new commit on HEAD, and one on an old commit
#            (GRAPH_OLD, default the first-parent commit 80% of the
#            way back), each scanned as a hook does: `NEW --not --all`
# and with BENCH_FULL=1 also git log --all -p and scan --all --threads=2.
# The list is the repository's CVE identifiers.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_need

[ $# -eq 2 ] || bench_die "usage: graph.sh BINARY REPO"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$2" && pwd)
name=$(basename "$repo" .git)
out=$BENCH_DIR/graph-$name
list=$out/ids.list
mkdir -p "$out"
bench_ids_of "$repo" | bench_list_of > "$list"
range=${GRAPH_RANGE:-HEAD~5000..HEAD}
range=$(git -C "$repo" rev-parse "${range%%..*}")..$(git -C "$repo" rev-parse "${range#*..}")
nrange=$(git -C "$repo" rev-list --count "$range")
# an old base: the first-parent commit 80% of the way back
depth=$(git -C "$repo" rev-list --first-parent --count HEAD)
old=${GRAPH_OLD:-$(git -C "$repo" rev-parse "HEAD~$((depth * 4 / 5))")}

for form in none v2 v1; do
	c=$out/$form.git
	if [ ! -f "$c/bench-complete" ]; then
		rm -rf "$c"
		mkdir -p "$c/objects/pack" "$c/objects/info" "$c/refs"
		cp "$repo/HEAD" "$repo/config" "$c/"
		[ -f "$repo/packed-refs" ] && cp "$repo/packed-refs" "$c/"
		cp -R "$repo/refs/." "$c/refs/"
		ln "$repo"/objects/pack/pack-* "$c/objects/pack/"
		case $form in
		v2) git -C "$c" commit-graph write --reachable 2>/dev/null ;;
		v1) git -C "$c" -c commitGraph.generationVersion=1 \
			commit-graph write --reachable 2>/dev/null ;;
		esac
		touch "$c/bench-complete"
	fi
	# the pushed commits: loose, reachable from no ref (same ids in
	# every copy: fixed dates)
	new=$(echo "pushed" | GIT_AUTHOR_DATE=@1700000000 \
		GIT_COMMITTER_DATE=@1700000000 git -C "$c" commit-tree \
		HEAD^{tree} -p HEAD)
	newold=$(echo "pushed on an old base" | GIT_AUTHOR_DATE=@1700000000 \
		GIT_COMMITTER_DATE=@1700000000 git -C "$c" commit-tree \
		"$old^{tree}" -p "$old")
	echo "$form: $(bench_describe "$c")"
done
echo "range: $range ($nrange commits); old base: $old"
echo "load before: $(uptime | sed 's/.*load/load/')"
echo "CPU two busy loops get now: $(bench_capacity) (200% = two free cores)"

scan="'$bin' scan --list '$list'"
bench_set_begin "$out/set"
for form in none v2 v1; do
	c=$out/$form.git
	bench_add "walk-$form" "[$form] git rev-list --all" \
		"cd '$c' && git rev-list --all"
	bench_add "logB-$form" "[$form] git log --all --format=%B" \
		"cd '$c' && git log --all --format=%B"
	bench_add "meta1-$form" "[$form] scan --no-diffs --all --threads=1" \
		"cd '$c' && $scan --no-diffs --all --threads=1"
	bench_add "meta2-$form" "[$form] scan --no-diffs --all --threads=2" \
		"cd '$c' && $scan --no-diffs --all --threads=2"
	bench_add "rwalk-$form" "[$form] git rev-list RANGE" \
		"cd '$c' && git rev-list $range"
	bench_add "rlog-$form" "[$form] git log --format=%B RANGE" \
		"cd '$c' && git log --format=%B $range"
	bench_add "rmeta-$form" "[$form] scan --no-diffs RANGE" \
		"cd '$c' && $scan --no-diffs $range"
	bench_add "pwalk-$form" "[$form] git rev-list NEW --not --all" \
		"cd '$c' && git rev-list $new --not --all"
	bench_add "pscan-$form" "[$form] scan NEW --not --all" \
		"cd '$c' && $scan $new --not --all"
	bench_add "powalk-$form" "[$form] git rev-list NEW-OLD-BASE --not --all" \
		"cd '$c' && git rev-list $newold --not --all"
	bench_add "poscan-$form" "[$form] scan NEW-OLD-BASE --not --all" \
		"cd '$c' && $scan $newold --not --all"
	if [ "${BENCH_FULL:-0}" = 1 ]; then
		bench_add "logp-$form" "[$form] git log --all -p" \
			"cd '$c' && git log --all -p"
		bench_add "full2-$form" "[$form] scan --all --threads=2" \
			"cd '$c' && $scan --all --threads=2"
	fi
done
bench_set_run
echo "load after:  $(uptime | sed 's/.*load/load/')"
bench_report
echo
echo "ratios (same run), scan / git:"
for form in none v2 v1; do
	echo "  $form: --all --no-diffs / log --format=%B: threads=1" \
		"$(bench_ratio "$(bench_time "meta1-$form")" "$(bench_time "logB-$form")")," \
		"threads=2 $(bench_ratio "$(bench_time "meta2-$form")" "$(bench_time "logB-$form")");" \
		"range --no-diffs / log --format=%B:" \
		"$(bench_ratio "$(bench_time "rmeta-$form")" "$(bench_time "rlog-$form")")"
done
