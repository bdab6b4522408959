#!/bin/sh
# run.sh - the scanner benchmark of issue 2 (what `make bench` runs).
#
#   sh bench/run.sh BINARY [REPO ...]
#
# Without REPO: the synthetic repository of bench/gen.sh (made once and
# cached in $BENCH_DIR, default /tmp/embargo-bench; BENCH_COMMITS,
# default 200000) with the list bench/synth.list.  With REPO (a bare or
# normal repository, e.g. one made by bench/real.sh): its own CVE
# identifiers as the list, as bench/accuracy.sh makes it.
#
# For each repository, in one run (BENCH_RUNS rounds, default 3, every
# command once per round; median seconds, largest peak RSS):
#   git log --all --format=%B >/dev/null
#   git log --all -E -i --grep=<the list's ids, with the scanner's rules>
#   git embargo scan --no-diffs --all            (default threads, and 1)
#   git log --all -p >/dev/null
#   git embargo scan --all                        (default threads, and 1)
# then the ratios against the issue's targets, the peak memory of the
# scan over the first 50,000 commits against all of them (synthetic
# repository), and the accuracy check (bench/accuracy.sh; on the
# synthetic repository also every planted reference of the manifest).
#
# BENCH_FULL=0 skips the scans with diffs and git log -p (minutes).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_need

[ $# -ge 1 ] || bench_die "usage: run.sh BINARY [REPO ...]"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$bin" ] || bench_die "no binary '$1' (run 'make')"
shift
# `git embargo` finds the binary on PATH, as a user's git does; the
# folder is private to this run (BENCH_DIR may be shared with others)
mkdir -p "$BENCH_DIR"
bindir=$(mktemp -d "$BENCH_DIR/bin.XXXXXX")
trap 'rm -rf "$bindir"' EXIT
trap 'exit 130' INT TERM
ln -sf "$bin" "$bindir/git-embargo"
PATH=$bindir:$PATH
export PATH

BENCH_COMMITS=${BENCH_COMMITS:-200000}
BENCH_FULL=${BENCH_FULL:-1}
status=0

if [ $# -eq 0 ]; then
	synth=$(sh "$here/gen.sh" "$BENCH_COMMITS") || bench_die "gen.sh failed"
	set -- "$synth"
fi

echo "git-embargo benchmark: $("$bin" --version), $(git --version)"
echo "machine: $(nproc) cores, $(uname -sr); runs per command: $BENCH_RUNS"
echo "CPU two busy loops get now: $(bench_capacity) (200% = two free cores)"

for repo in "$@"; do
	repo=$(cd "$repo" && pwd) || continue
	name=$(basename "$repo" .git)
	out=$BENCH_DIR/run-$name
	mkdir -p "$out"
	case $name in
	synth-*)
		list=$here/synth.list
		manifest=$BENCH_DIR/$name.manifest ;;
	*)
		list=$BENCH_DIR/$name.list
		manifest=
		bench_ids_of "$repo" | bench_list_of > "$list" ;;
	esac
	re=$(bench_ids_in_list "$list" | bench_grep_re)
	scan="git embargo scan --list '$list'"

	echo
	echo "== $(bench_describe "$repo")"
	echo "list: $list ($(grep -c '^\[embargo' "$list") entries)"
	echo "load before: $(uptime | sed 's/.*load/load/')"

	bench_set_begin "$out/set"
	bench_add logB "git log --all --format=%B" \
		"cd '$repo' && git log --all --format=%B"
	# the scanner also reads notes: show what git takes to read them too
	notes=$(git -C "$repo" for-each-ref --format='--notes=%(refname)' refs/notes)
	if [ -n "$notes" ]; then
		bench_add logN "git log --all --format=%B --notes=<all notes refs>" \
			"cd '$repo' && git log --all --format=%B $notes"
	fi
	bench_add grep "git log --all -E -i --grep=<ids>" \
		"cd '$repo' && git log --all -E -i --grep='$re'"
	bench_add meta "git embargo scan --no-diffs --all" \
		"cd '$repo' && $scan --no-diffs --all"
	bench_add meta1 "git embargo scan --no-diffs --all --threads=1" \
		"cd '$repo' && $scan --no-diffs --all --threads=1"
	if [ "$BENCH_FULL" = 1 ]; then
		bench_add logp "git log --all -p" \
			"cd '$repo' && git log --all -p"
		bench_add full "git embargo scan --all" \
			"cd '$repo' && $scan --all"
		bench_add full1 "git embargo scan --all --threads=1" \
			"cd '$repo' && $scan --all --threads=1"
	fi
	bench_set_run
	echo "load after:  $(uptime | sed 's/.*load/load/')"
	bench_report

	logB=$(bench_time logB)
	echo
	echo "ratios (same run):"
	echo "  scan --no-diffs / git log --format=%B:" \
		"$(bench_ratio "$(bench_time meta)" "$logB")" \
		"(threads=1: $(bench_ratio "$(bench_time meta1)" "$logB"); target <= 1)"
	echo "  scan --no-diffs / git log -E -i --grep:" \
		"$(bench_ratio "$(bench_time meta)" "$(bench_time grep)")" \
		"(threads=1: $(bench_ratio "$(bench_time meta1)" "$(bench_time grep)"))"
	if [ "$BENCH_FULL" = 1 ]; then
		echo "  scan (diffs) / git log -p:" \
			"$(bench_ratio "$(bench_time full)" "$(bench_time logp)")" \
			"(threads=1: $(bench_ratio "$(bench_time full1)" "$(bench_time logp)"); target <= 0.5)"
	fi

	# Memory must not grow with the length of history.
	if git -C "$repo" rev-parse -q --verify refs/tags/synth-50k >/dev/null; then
		n50=$(git -C "$repo" rev-list --count synth-50k)
		nall=$(git -C "$repo" rev-list --all --count)
		echo
		echo "peak memory against history length (one run each; MB;" \
			"anon = heap, file = mmap'ed pack pages):"
		printf '%-52s %7s %7s %7s\n' command total anon file
		mem() { # LABEL ARGS...
			_l=$1
			shift
			printf '%-52s %7s %7s %7s\n' "$_l" \
				$(cd "$repo" && bench_mem "$@")
		}
		mem "git log --format=%B synth-50k ($n50 commits)" \
			git log --format=%B synth-50k
		mem "git log --format=%B --all ($nall commits)" \
			git log --format=%B --all
		for t in 1 2; do
			mem "scan --no-diffs --threads=$t synth-50k" \
				"$bin" scan --list "$list" --no-diffs --threads=$t synth-50k
			mem "scan --no-diffs --threads=$t --all" \
				"$bin" scan --list "$list" --no-diffs --threads=$t --all
		done
		if [ "$BENCH_FULL" = 1 ]; then
			mem "git log -p synth-50k" git log -p synth-50k
			mem "git log -p --all" git log -p --all
			mem "scan synth-50k" "$bin" scan --list "$list" synth-50k
			mem "scan --all" "$bin" scan --list "$list" --all
		fi
	fi

	echo
	sh "$here/accuracy.sh" "$bin" "$repo" "$list" || status=1
	if [ -n "$manifest" ] && [ -f "$manifest" ]; then
		sh "$here/planted.sh" "$bin" "$repo" "$list" "$manifest" ||
			status=1
	fi
done
exit $status
