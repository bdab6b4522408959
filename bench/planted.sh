#!/bin/sh
# planted.sh - does a full scan of the synthetic repository find every
# reference bench/gen-history.pl planted, and nothing else?
#
#   sh bench/planted.sh BINARY REPO LIST MANIFEST
#
# The manifest (bench/gen.sh writes it next to the repository) has one
# line per plant: "KIND COMMIT TEXT" for message, line and path plants
# (miss-message and miss-line are near misses that must not be found),
# "ref REFNAME -" and "tag REFNAME name|message".  Each is looked up in
# `scan --all --format json`; any other finding is reported too.
# With a second list (BENCH_HASHED=1, the default) the scan is repeated
# with every identifier replaced by its sha256 entry
# (`git embargo hash`), which must find the same.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ $# -eq 4 ] || bench_die "usage: planted.sh BINARY REPO LIST MANIFEST"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$2" && pwd)
list=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
manifest=$4
work=$BENCH_DIR/planted-$(basename "$repo" .git)
rm -rf "$work"
mkdir -p "$work"

check() { # LIST LABEL
	(cd "$repo" && "$bin" scan --list "$1" --all --format json) \
		> "$work/json" 2> "$work/err"
	[ $? -le 1 ] || { cat "$work/err" >&2; bench_die "scan failed"; }
	# one "kind commit-or-ref path" line per finding
	awk -F'"' '
		/^    \{/ { kind = commit = ref = path = "-" }
		/^      "kind": / { kind = $4 }
		/^      "commit": "/ { commit = $4 }
		/^      "ref": "/ { ref = $4 }
		/^      "path": "/ { path = $4 }
		/^    \}/ { print kind, (kind == "ref" || kind == "tag") ? ref : commit, path }' \
		"$work/json" | sort > "$work/found"
	awk -v found="$work/found" '
		BEGIN { while ((getline l < found) > 0) { n++; f[l] = 1; split(l, a, " ");
			k[a[1] " " a[2]]++ } }
		{ kind = $1; where = $2; text = $0; sub(/^[^ ]* [^ ]* /, "", text) }
		kind == "message" || kind == "miss-message" {
			hit = k["message " where] > 0; used["message " where] = 1 }
		kind == "line" || kind == "miss-line" {
			hit = ("line " where " " text) in f; used["line " where " " text] = 1 }
		kind == "path" { hit = ("path " where " " text) in f; used["path " where " " text] = 1 }
		kind == "ref" { hit = k["ref " where] > 0; used["ref " where] = 1 }
		kind == "tag" { hit = k["tag " where] > 0; used["tag " where] = 1 }
		{
			want = kind !~ /^miss-/
			if (hit == want) ok++
			else { bad++; printf "    %s: %s %s %s\n", want ? "MISSED" : "FALSE MATCH", kind, substr(where, 1, 12), text }
		}
		END {
			for (l in f) { split(l, a, " "); key = a[1] == "message" || a[1] == "ref" || a[1] == "tag" ? a[1] " " a[2] : l
				if (!(key in used)) { extra++; printf "    UNEXPECTED: %s\n", l } }
			printf "  %d of %d plants as expected, %d wrong, %d unexpected findings (%d findings)\n", ok, ok + bad, bad, extra, n
			exit (bad || extra) ? 1 : 0
		}' "$manifest"
}

status=0
echo "planted references: $manifest"
echo " list $list:"
check "$list" || status=1

if [ "${BENCH_HASHED:-1}" = 1 ]; then
	bench_ids_in_list "$list" | while read -r id; do
		"$bin" hash "$id" # prints a whole entry
	done > "$work/hashed.list"
	echo " the same identifiers hashed ($work/hashed.list):"
	check "$work/hashed.list" || status=1
fi
exit $status
