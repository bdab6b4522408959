#!/bin/sh
# accuracy.sh - does `scan --no-diffs --all` find exactly the commits
# that `git log --all -E -i --grep` finds?
#
#   sh bench/accuracy.sh BINARY REPO [LIST]
#
# Without LIST, the list is every CVE identifier the repository's commit
# messages mention (`git log --all --format=%B | grep -oiE
# 'CVE-[0-9]{4}-[0-9]{4,}'`), written to $BENCH_DIR/NAME.list.  The git
# side uses the same identifiers with the scanner's rules (separators
# "-", "_", "." or one space; no letter or digit on either side), under
# LC_ALL=C.  Compared: the set of commits with a message finding (kind
# "message" in --format json) against the set git log prints.
#
# Prints both counts, the commits in both, and every mismatch with the
# lines of its message that mention an identifier.  Exit 0 when the
# sets are equal, 1 when not, 2 on a usage or tool error.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ $# -ge 2 ] || bench_die "usage: accuracy.sh BINARY REPO [LIST]"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$2" && pwd) || bench_die "no repository '$2'"
name=$(basename "$repo" .git)
list=${3:-}
work=$BENCH_DIR/accuracy-$name
rm -rf "$work"
mkdir -p "$work"

if [ -z "$list" ]; then
	list=$BENCH_DIR/$name.list
	bench_ids_of "$repo" > "$work/ids"
	bench_list_of < "$work/ids" > "$list"
else
	list=$(cd "$(dirname "$list")" && pwd)/$(basename "$list")
	bench_ids_in_list "$list" > "$work/ids"
fi
re=$(bench_grep_re < "$work/ids")

git -C "$repo" log --all -E -i --grep="$re" --format=%H |
	sort -u > "$work/git"
(cd "$repo" && "$bin" scan --list "$list" --no-diffs --all --format json) \
	> "$work/json" 2> "$work/scan.err"
st=$?
if [ "$st" -gt 1 ]; then
	cat "$work/scan.err" >&2
	bench_die "scan exited $st"
fi
# "kind" comes before "commit" in each finding object
awk '/^ *"kind": "/ { split($0, a, "\""); kind = a[4] }
     /^ *"commit": "/ { split($0, a, "\""); if (kind == "message") print a[4] }' \
	"$work/json" | sort -u > "$work/scan"

comm -12 "$work/scan" "$work/git" > "$work/both"
comm -23 "$work/scan" "$work/git" > "$work/only-scan"
comm -13 "$work/scan" "$work/git" > "$work/only-git"

echo "accuracy: $name, $(wc -l < "$work/ids") identifiers ($list)"
echo "  commits: $(git -C "$repo" rev-list --all --count)"
echo "  commits whose message mentions any CVE-YYYY-N{4,}:" \
	"$(git -C "$repo" log --all -E -i \
		--grep='CVE-[0-9]{4}-[0-9]{4,}' --format=%H | wc -l)"
echo "  git log --all -E -i --grep: $(wc -l < "$work/git") commits"
echo "  scan --no-diffs --all (message findings): $(wc -l < "$work/scan") commits"
echo "  matches: $(wc -l < "$work/both")"
echo "  mismatches: $(wc -l < "$work/only-scan") only in scan," \
	"$(wc -l < "$work/only-git") only in git log"

show() {
	while read -r c; do
		echo "    $c $(git -C "$repo" log -1 --format=%s "$c" | cut -c1-60)"
		git -C "$repo" log -1 --format=%B "$c" |
			grep -inE '(CVE|GHSA|[A-Z][A-Z0-9]+)[-_. ][0-9]' |
			grep -iE "$(sed 's/-.*//' "$work/ids" | sort -u |
				paste -sd'|' -)" | head -n 4 | sed 's/^/      /'
	done
}
if [ -s "$work/only-scan" ]; then
	echo "  only in scan:"
	show < "$work/only-scan"
fi
if [ -s "$work/only-git" ]; then
	echo "  only in git log:"
	show < "$work/only-git"
fi
fail=0
[ -s "$work/only-scan" ] || [ -s "$work/only-git" ] && fail=1

# Per identifier: a commit that mentions CVE-2017-13011 also counts for
# the set above when the list holds CVE-2017-1301, so compare the
# (identifier, commit) pairs too.  "naive" is what a plain
# `git log -i -F --grep=ID` finds: no separators other than "-", no
# word boundaries.
[ "${BENCH_PER_ID:-1}" = 1 ] || exit $fail
awk '/^ *"identifier": "/ { split($0, a, "\""); id = a[4] }
     /^ *"kind": "/ { split($0, a, "\""); kind = a[4] }
     /^ *"commit": "/ { split($0, a, "\""); if (kind == "message") print id, a[4] }' \
	"$work/json" | sort -u > "$work/pairs-scan"
: > "$work/pairs-git"
: > "$work/pairs-naive"
while read -r id; do
	git -C "$repo" log --all -E -i --grep="$(echo "$id" | bench_grep_re)" \
		--format="$id %H" >> "$work/pairs-git"
	git -C "$repo" log --all -i -F --grep="$id" \
		--format="$id %H" >> "$work/pairs-naive"
done < "$work/ids"
sort -u -o "$work/pairs-git" "$work/pairs-git"
sort -u -o "$work/pairs-naive" "$work/pairs-naive"
echo "  per identifier: scan $(wc -l < "$work/pairs-scan") (id, commit) pairs," \
	"git log with the rules $(wc -l < "$work/pairs-git")," \
	"naive git log -i -F $(wc -l < "$work/pairs-naive")"
echo "    scan vs git log with the rules: $(comm -3 "$work/pairs-scan" \
	"$work/pairs-git" | wc -l) differences"
comm -3 "$work/pairs-scan" "$work/pairs-git" | sed 's/^/      /' | head -n 20
[ -z "$(comm -3 "$work/pairs-scan" "$work/pairs-git")" ] || fail=1
# the naive differences, each with the text that made it
context() {
	git -C "$repo" log -1 --format=%B "$2" | perl -ne '
		BEGIN { ($id, $n) = @ARGV; @ARGV = () ; ($re = quotemeta $id) =~ s/\\-/[-_. ]/g }
		while (/(.{0,12})($re)(.{0,3})/gi) { print "\"$1$2$3\" " }' "$1"
}
comm -23 "$work/pairs-naive" "$work/pairs-scan" > "$work/naive-only"
comm -13 "$work/pairs-naive" "$work/pairs-scan" > "$work/scan-not-naive"
echo "    naive git log finds $(wc -l < "$work/naive-only") pairs the scan" \
	"rightly does not (no word boundary):"
while read -r id c; do
	echo "      $id ${c%????????????????????????????????} $(context "$id" "$c")"
done < "$work/naive-only"
echo "    scan finds $(wc -l < "$work/scan-not-naive") pairs naive git log" \
	"does not (separator variants):"
while read -r id c; do
	echo "      $id ${c%????????????????????????????????} $(context "$id" "$c")"
done < "$work/scan-not-naive"
exit $fail
