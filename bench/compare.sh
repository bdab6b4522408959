#!/bin/sh
# compare.sh - two builds of git-embargo on the same histories, in one
# run: what a change to the matcher costs, and what it finds that the
# other build does not.
#
#   sh bench/compare.sh OLD_BINARY NEW_BINARY [REPO ...]
#
# REPO defaults to git's and curl's histories under $BENCH_DIR/real
# (bench/real.sh).  The list is each repository's own CVE identifiers,
# as bench/accuracy.sh makes it.  Real histories are mostly ASCII, with
# names and words in other scripts here and there: the folding pays its
# check of every byte and folds what it finds.
#
# For each repository, BENCH_RUNS rounds (default 3), each command once
# per round so that load falls on both builds alike:
#   OLD scan --no-diffs --all     NEW scan --no-diffs --all
#   git log --all --format=%B     (for scale)
# Both the elapsed and the CPU seconds (user + system) are reported,
# as medians: on a shared machine the CPU time is the steadier of the
# two.  Then NEW/OLD (the bound for the folding is 1.10) and the
# (identifier, commit, kind) findings of each build: equal, or each
# difference with the lines that made it, to judge by eye whether it is
# a new spelling found or a false positive.
#
# With BENCH_LISTS=1 (the default), large lists too, on the last REPO:
# 200,000 identifiers and 600 patterns, 1,500 aliases (loading, on one
# commit), and the repository's list plus 600 patterns (a whole
# metadata scan).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_need

[ $# -ge 2 ] || bench_die "usage: compare.sh OLD_BINARY NEW_BINARY [REPO ...]"
old=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
new=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
[ -x "$old" ] && [ -x "$new" ] || bench_die "no binary '$1' or '$2'"
shift 2
[ $# -gt 0 ] || set -- "$BENCH_DIR/real/git.git" "$BENCH_DIR/real/curl.git"
BENCH_LISTS=${BENCH_LISTS:-1}

echo "compare: old $("$old" --version) ($old)"
echo "         new $("$new" --version) ($new)"
echo "machine: $(nproc) cores; runs per command: $BENCH_RUNS"
echo "CPU two busy loops get now: $(bench_capacity) (200% = two free cores)"
status=0

# time_one KEY COMMAND: one run; "elapsed cpu exit" appended to KEY.t
time_one() {
	/usr/bin/time -f '%e %U %S %x' -o "$out/one" sh -c "$2" \
		>/dev/null 2>"$out/$1.err" || true
	tail -n 1 "$out/one" |
		awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' >>"$out/$1.t"
	case $(tail -n 1 "$out/$1.t" | awk '{ print $3 }') in
	0 | 1) ;;
	*) echo "bench: '$2' failed:" >&2
	   tail -n 3 "$out/$1.err" >&2 ;;
	esac
}

# rounds KEY:COMMAND...: every command once per round
rounds() {
	r=1
	while [ "$r" -le "$BENCH_RUNS" ]; do
		for kc in "$@"; do
			time_one "${kc%%:*}" "${kc#*:}"
		done
		r=$((r + 1))
	done
}

med() { awk -v f="$2" '{ print $f }' "$out/$1.t" | bench_median; }

row() { # KEY LABEL
	printf '%-52s %8s %8s   %s\n' "$2" "$(med "$1" 1)" "$(med "$1" 2)" \
		"$(awk '{ printf "%s/%s ", $1, $2 }' "$out/$1.t")"
}

header() {
	printf '%-52s %8s %8s   %s\n' command "elapsed" "cpu" "runs (elapsed/cpu)"
}

ratios() { # OLDKEY NEWKEY BOUND
	e=$(bench_ratio "$(med "$2" 1)" "$(med "$1" 1)")
	c=$(bench_ratio "$(med "$2" 2)" "$(med "$1" 2)")
	echo "ratio new / old: elapsed $e, cpu $c${3:+ (bound: $3, on cpu)}"
	[ -z "${3:-}" ] || awk -v c="$c" -v b="$3" \
		'BEGIN { exit !(c != "-" && c + 0 <= b + 0) }' || status=1
}

for repo in "$@"; do
	repo=$(cd "$repo" && pwd) || continue
	name=$(basename "$repo" .git)
	out=$BENCH_DIR/compare-$name
	rm -rf "$out"
	mkdir -p "$out"
	list=$out/list
	bench_ids_of "$repo" > "$out/ids"
	bench_list_of < "$out/ids" > "$list"

	echo
	echo "== $(bench_describe "$repo")"
	echo "list: $(wc -l < "$out/ids") identifiers"
	rounds "logB:cd '$repo' && git log --all --format=%B" \
		"old:cd '$repo' && '$old' scan --list '$list' --no-diffs --all" \
		"new:cd '$repo' && '$new' scan --list '$list' --no-diffs --all"
	header
	row logB "git log --all --format=%B"
	row old "old: scan --no-diffs --all"
	row new "new: scan --no-diffs --all"
	ratios old new 1.10

	for b in old new; do
		eval bin=\$$b
		(cd "$repo" && "$bin" scan --list "$list" --no-diffs --all \
			--format json) > "$out/$b.json" 2> "$out/$b.err"
		awk '/^ *"identifier": "/ { split($0, a, "\""); id = a[4] }
		     /^ *"kind": "/ { split($0, a, "\""); kind = a[4] }
		     /^ *"commit": "/ { split($0, a, "\""); print id, a[4], kind }' \
			"$out/$b.json" | sort -u > "$out/$b.pairs"
	done
	echo "findings (identifier, commit, kind): old $(wc -l < "$out/old.pairs")," \
		"new $(wc -l < "$out/new.pairs")," \
		"only old $(comm -23 "$out/old.pairs" "$out/new.pairs" | wc -l)," \
		"only new $(comm -13 "$out/old.pairs" "$out/new.pairs" | wc -l)"
	comm -3 "$out/old.pairs" "$out/new.pairs" | head -n 40 |
	while read -r id c kind; do
		git -C "$repo" log -1 --format=%B "$c" |
			grep -i "$(echo "$id" | cut -c1-3)" | head -n 2 |
			sed "s/^/    $id ${c%????????????????????????????} $kind: /"
	done
done

[ "$BENCH_LISTS" = 1 ] || exit $status
echo
echo "== large lists, on $(basename "$repo")"
awk 'BEGIN {
	for (i = 0; i < 200000; i++) printf "[embargo \"CVE-2026-%d\"]\n", 10000 + i
	for (i = 0; i < 600; i++)
		printf "[embargo \"SEC-%d\"]\n\tpattern = proj%d[-_ ]?(bug|flaw)\n", i + 1, i
}' > "$out/big.list"
awk 'BEGIN {
	for (i = 0; i < 1500; i++)
		printf "[embargo \"SEC-%d\"]\n\talias = Codename %d Heart\n", i + 1, i
}' > "$out/aliases.list"
cp "$list" "$out/patterns.list"
awk 'BEGIN { split("proj bleed heart crash overflow leak storm ghost shadow spectre", w)
	for (i = 0; i < 600; i++)
		printf "[embargo \"SEC-%d\"]\n\tpattern = %s%d[-_ ]?(bug|flaw|issue)\n", i + 1, w[i % 10 + 1], i
}' >> "$out/patterns.list"
rounds "bigold:cd '$repo' && '$old' scan --list '$out/big.list' --no-diffs 'HEAD^!'" \
	"bignew:cd '$repo' && '$new' scan --list '$out/big.list' --no-diffs 'HEAD^!'" \
	"alold:cd '$repo' && '$old' scan --list '$out/aliases.list' --no-diffs 'HEAD^!'" \
	"alnew:cd '$repo' && '$new' scan --list '$out/aliases.list' --no-diffs 'HEAD^!'" \
	"patold:cd '$repo' && '$old' scan --list '$out/patterns.list' --no-diffs HEAD~3000..HEAD" \
	"patnew:cd '$repo' && '$new' scan --list '$out/patterns.list' --no-diffs HEAD~3000..HEAD" \
	"plain:cd '$repo' && '$new' scan --list '$list' --no-diffs HEAD~3000..HEAD"
header
row bigold "old: 200,000 ids + 600 patterns, one commit"
row bignew "new: 200,000 ids + 600 patterns, one commit"
row alold "old: 1,500 aliases, one commit (exit $(awk '{ print $3 }' "$out/alold.t" | tail -n 1))"
row alnew "new: 1,500 aliases, one commit (exit $(awk '{ print $3 }' "$out/alnew.t" | tail -n 1))"
row patold "old: its list + 600 patterns, --no-diffs HEAD~3000..HEAD"
row patnew "new: its list + 600 patterns, --no-diffs HEAD~3000..HEAD"
row plain "new: its list alone, --no-diffs HEAD~3000..HEAD"
echo "600 patterns against none (new): $(bench_ratio "$(med patnew 2)" "$(med plain 2)") (cpu)"
exit $status
