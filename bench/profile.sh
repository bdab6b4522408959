#!/bin/sh
# profile.sh - where the scanner spends its time, counted in instructions.
#
#   sh bench/profile.sh BINARY REPO [META_RANGE [FULL_RANGE]]
#
# perf needs hardware counters (`perf stat -e instructions true`); where
# they are missing, as on most virtual machines, this uses valgrind's
# callgrind instead.  Instruction counts do not depend on the load of a
# shared machine, so the totals also compare the scanner with git on the
# same range, independently of other users.
#
# Runs, each under callgrind, in REPO (threads=1):
#   scan --no-diffs META_RANGE     vs  git log --format=%B META_RANGE
#   scan FULL_RANGE                vs  git log -p FULL_RANGE
# and prints the total instructions, the ratio, and the top functions
# (self and inclusive) of both scans.  Defaults: META_RANGE = --all,
# FULL_RANGE HEAD~1000..HEAD (every commit reachable from HEAD but
# not from HEAD~1000).
#
# Debian's libgit2 is stripped, so its internal functions show as
# addresses.  LIBGIT2_DIR=<a build of libgit2 1.5.1 with -g> (found on
# LD_LIBRARY_PATH for these runs) names them; bench/README.md says how
# to build one.  The list is the repository's CVE identifiers.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ $# -ge 2 ] || bench_die "usage: profile.sh BINARY REPO [META_RANGE [FULL_RANGE]]"
command -v valgrind >/dev/null || bench_die "valgrind is missing (apt-get install valgrind)"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$2" && pwd)
name=$(basename "$repo" .git)
meta=${3:---all}
full=${4:-HEAD~1000..HEAD}
# A..B to ids: libgit2 resolves HEAD~1000 by parsing 1,000 commits,
# which would be counted as scanning.
resolve() {
	case $1 in
	*..*) echo "$(git -C "$repo" rev-parse "${1%%..*}")..$(git -C "$repo" rev-parse "${1#*..}")" ;;
	*) echo "$1" ;;
	esac
}
out=$BENCH_DIR/profile-$name
mkdir -p "$out"
list=$out/ids.list
bench_ids_of "$repo" | bench_list_of > "$list"
if [ -n "${LIBGIT2_DIR:-}" ]; then
	LD_LIBRARY_PATH=$LIBGIT2_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	export LD_LIBRARY_PATH
fi

cg() { # NAME COMMAND...
	_n=$1
	shift
	(cd "$repo" && valgrind --tool=callgrind --callgrind-out-file="$out/$_n.cg" \
		--dump-instr=no --collect-jumps=no "$@" >/dev/null 2>"$out/$_n.log")
	sed -n 's/^summary: *//p' "$out/$_n.cg"
}

meta=$(resolve "$meta")
full=$(resolve "$full")
echo "profile: $(bench_describe "$repo")"
echo "libgit2: $(ldd "$bin" | awk '/libgit2/ { print $3 }')"
echo "metadata range: $meta ($(git -C "$repo" rev-list --count $meta) commits)"
echo "full range: $full ($(git -C "$repo" rev-list --count $full) commits)"

s_meta=$(cg scan-meta "$bin" scan --list "$list" --no-diffs --threads=1 $meta)
g_meta=$(cg git-log-B git log --format=%B $meta)
s_full=$(cg scan-full "$bin" scan --list "$list" --threads=1 $full)
g_full=$(cg git-log-p git log -p $full)

printf '%-40s %16s\n' run instructions
printf '%-40s %16s\n' "scan --no-diffs --threads=1" "$s_meta"
printf '%-40s %16s  ratio %s\n' "git log --format=%B" "$g_meta" \
	"$(bench_ratio "$s_meta" "$g_meta")"
printf '%-40s %16s\n' "scan --threads=1 (diffs)" "$s_full"
printf '%-40s %16s  ratio %s\n' "git log -p" "$g_full" \
	"$(bench_ratio "$s_full" "$g_full")"

for run in scan-meta scan-full; do
	echo
	echo "== $run: top functions, self (exclusive) instructions"
	callgrind_annotate --threshold=95 "$out/$run.cg" 2>/dev/null |
		sed -n '/^Ir/,$p' | sed -n '3,27p' | sed 's/^/  /'
	echo "== $run: top functions, inclusive"
	callgrind_annotate --inclusive=yes --threshold=99 "$out/$run.cg" 2>/dev/null |
		sed -n '/^Ir/,$p' | sed -n '3,37p' | sed 's/^/  /'
done
echo
echo "callgrind files: $out/*.cg (callgrind_annotate, kcachegrind)"
