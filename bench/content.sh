#!/bin/sh
# content.sh - a full scan by two builds of the scanner, in one run:
# what a change to the content the scanner reads costs, and what it
# finds that the other did not.
#
#   sh bench/content.sh OLD_BINARY NEW_BINARY REPO...
#
# For each repository (e.g. $BENCH_DIR/real/git.git from bench/real.sh),
# with its own CVE identifiers as the list (as bench/run.sh makes it):
#   old: git embargo scan --all --format json
#   new: git embargo scan --all --format json
# BENCH_RUNS rounds, the two alternating; median seconds and CPU
# seconds, the ratios new/old, and the findings of each build compared:
# the same, or the places only one of them reports (kind, commit, path
# or ref, line or offset).  Then the text report of each, once: byte-
# identical, or the first lines that differ.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_need

[ $# -ge 3 ] || bench_die "usage: content.sh OLD_BINARY NEW_BINARY REPO..."
bench_binaries "$1" "$2"
shift 2
mkdir -p "$BENCH_DIR"
work=$(mktemp -d "$BENCH_DIR/content.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
mkdir "$work/old" "$work/new"
ln -s "$old" "$work/old/git-embargo"
ln -s "$new" "$work/new/git-embargo"

# places FILE: one line per finding of a JSON report, sorted
places() {
	jq -r '.findings[] | [.kind, .identifier, (.commit // "-"),
		(.ref // "-"), (.path // "-"), (.line // .offset // "-")
		| tostring] | join(" ")' "$1" | sort
}

echo "git-embargo content benchmark: old $("$old" --version), new $("$new" --version)"
echo "machine: $(nproc) cores; runs per command: $BENCH_RUNS"
for repo in "$@"; do
	repo=$(cd "$repo" && pwd) || continue
	name=$(basename "$repo" .git)
	list=$work/$name.list
	bench_ids_of "$repo" | bench_list_of > "$list"
	echo
	echo "== $(bench_describe "$repo")"
	echo "list: $(grep -c '^\[embargo' "$list") entries"
	bench_set_begin "$work/set-$name"
	for b in old new; do
		bench_add "$b" "$b: scan --all --format json" \
			"PATH=$work/$b:\$PATH /usr/bin/time -a -o '$work/$name.$b.cpu' -f '%U %S' git -C '$repo' embargo scan --list '$list' --format json --all >'$work/$name.$b.json'"
	done
	bench_set_run
	bench_report
	echo "new / old: $(bench_ratio "$(bench_time new)" "$(bench_time old)") elapsed"
	# CPU seconds (user + system) move less with the load of others
	for b in old new; do
		eval "cpu_$b=\$(awk '{ print \$1 + \$2 }' '$work/$name.$b.cpu' | bench_median)"
	done
	echo "CPU s (median): old $cpu_old, new $cpu_new; new / old: $(bench_ratio "$cpu_new" "$cpu_old")"
	places "$work/$name.old.json" > "$work/$name.old.places"
	places "$work/$name.new.json" > "$work/$name.new.places"
	if cmp -s "$work/$name.old.json" "$work/$name.new.json"; then
		echo "output: byte-identical ($(wc -l < "$work/$name.old.places") findings)"
	elif [ "$(jq -c .findings "$work/$name.old.json")" = "$(jq -c .findings "$work/$name.new.json")" ]; then
		echo "findings: byte-identical ($(wc -l < "$work/$name.old.places")); summary:"
		echo "  old $(jq -c .summary "$work/$name.old.json")"
		echo "  new $(jq -c .summary "$work/$name.new.json")"
	else
		echo "output: differs; findings old $(wc -l < "$work/$name.old.places"), new $(wc -l < "$work/$name.new.places")"
		echo "only old:"
		comm -23 "$work/$name.old.places" "$work/$name.new.places" | sed 's/^/  /'
		echo "only new:"
		comm -13 "$work/$name.old.places" "$work/$name.new.places" | sed 's/^/  /'
	fi
	# the text report too, once each (untimed)
	for b in old new; do
		PATH=$work/$b:$PATH git -C "$repo" embargo --no-color scan \
			--list "$list" --all >"$work/$name.$b.txt" 2>&1
	done
	if cmp -s "$work/$name.old.txt" "$work/$name.new.txt"; then
		echo "text: byte-identical ($(wc -l < "$work/$name.old.txt") lines)"
	else
		echo "text: differs:"
		diff "$work/$name.old.txt" "$work/$name.new.txt" | head -n 20 |
			sed 's/^/  /'
	fi
done
