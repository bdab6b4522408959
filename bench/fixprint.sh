#!/bin/sh
# fixprint.sh - what fix fingerprints cost, and what they find (issue 12).
#
#   sh bench/fixprint.sh BINARY speed REPO...
#   sh bench/fixprint.sh BINARY backports REPO FIXES-FILE
#
# speed: the 10 newest commits of REPO that name a CVE and change C
# code are fingerprinted.  In one run (BENCH_RUNS rounds, default 3,
# every command once per round), `git embargo scan --all` with a list of
# 10 plain entries and with the same 10 entries carrying fingerprints:
# median wall seconds and median CPU seconds (user + system), and their
# ratio.  Then a pre-push of 10 new commits (each changing a file one of
# the fixes changed) to a bare clone, with the two lists, RUNS times
# each (default 9): median wall and mean CPU milliseconds.
#
# backports: FIXES-FILE has one line a fix, "<CVE or ->\t<subject>".
# Every commit of REPO (branches and tags) with that subject is a copy of the
# fix; the oldest is fingerprinted, as it landed, and one scan of all
# branches and tags finds the others.  The scan runs at embargo.fixThreshold=1 and the
# evidence ("adds K of N lines") says at which thresholds each finding
# stands, so one scan gives the table for every threshold: copies found
# (recall) and commits flagged that are not copies (false flags).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_need

[ $# -ge 3 ] || bench_die "usage: fixprint.sh BINARY speed REPO... | BINARY backports REPO FIXES-FILE"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$bin" ] || bench_die "no binary '$1' (run 'make')"
mode=$2
shift 2
mkdir -p "$BENCH_DIR"
work=$(mktemp -d "$BENCH_DIR/fixprint.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/bin" "$work/home"
ln -s "$bin" "$work/bin/git-embargo"
PATH=$work/bin:$PATH
HOME=$work/home
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=$HOME/.gitconfig
export PATH HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL
unset GIT_DIR GIT_EMBARGO_LIST GIT_EMBARGO_NOW
git config --global user.name Bench
git config --global user.email bench@example.org
RUNS=${RUNS:-9}

echo "git-embargo fix fingerprints: $("$bin" --version), $(git --version)"
echo "machine: $(nproc) cores; load now: $(cut -d' ' -f1-3 /proc/loadavg)"

# "<median wall> <median cpu>" of the lines "wall user sys" in a file
medians() {
	w=$(awk '{ print $1 }' "$1" | bench_median)
	c=$(awk '{ print $2 + $3 }' "$1" | bench_median)
	echo "$w $c"
}

speed() {
	repo=$(cd "$1" && pwd)
	name=$(basename "$repo" .git)
	d=$work/$name
	mkdir -p "$d"
	git -C "$repo" log --no-merges -E -i --grep='CVE-[0-9]{4}-[0-9]+' \
		--format=%H -n 10 -- '*.c' >"$d/fixes"
	: >"$d/plain.list"
	: >"$d/fp.list"
	i=0
	for c in $(cat "$d/fixes"); do
		i=$((i + 1))
		printf '[embargo "CVE-2099-%d"]\n' $i >>"$d/plain.list"
		GIT_DIR=$repo git embargo fingerprint --id "CVE-2099-$i" \
			"$c^!" >>"$d/fp.list" || bench_die "fingerprint $c"
	done
	lines=$(grep -o 'fixLines.*' "$d/fp.list" | grep -o '[0-9a-f]\{16\}' | wc -l)
	files=$(grep -o 'fixFiles.*' "$d/fp.list" | grep -o '[0-9a-f]\{16\}' | wc -l)
	echo
	echo "== $name: scan --all, 10 entries without and with fingerprints" \
		"($lines lines, $files file names, 10 patch-ids)"
	: >"$d/plain.times"
	: >"$d/fp.times"
	r=1
	while [ $r -le "$BENCH_RUNS" ]; do
		for l in plain fp; do
			/usr/bin/time -f '%e %U %S' -o "$d/one" env GIT_DIR="$repo" \
				git embargo scan --list "$d/$l.list" --all \
				>"$d/$l.out" 2>&1
			tail -n 1 "$d/one" >>"$d/$l.times"
		done
		r=$((r + 1))
	done
	set -- $(medians "$d/plain.times") $(medians "$d/fp.times")
	awk -v pw="$1" -v pc="$2" -v fw="$3" -v fc="$4" 'BEGIN {
		printf "  without: %.2f s wall, %.2f s CPU\n", pw, pc
		printf "  with:    %.2f s wall, %.2f s CPU\n", fw, fc
		printf "  ratio:   %.2f wall, %.2f CPU (target <= 1.25)\n", fw / pw, fc / pc
	}'
	grep -h 'references\|reference to' "$d/fp.out" | sed 's/^/  findings with fingerprints: /'

	# a pre-push of 10 new commits, each changing a file a fix changed
	git clone -q --bare "$repo" "$d/remote.git"
	git clone -q --no-checkout "$d/remote.git" "$d/dev"
	head=$(git -C "$d/dev" rev-parse HEAD)
	branch=$(git -C "$d/dev" symbolic-ref --short HEAD)
	i=0
	for c in $(cat "$d/fixes"); do
		i=$((i + 1))
		f=$(git -C "$repo" show --format= --name-only "$c" -- '*.c' | head -n 1)
		blob=$( (git -C "$d/dev" show "HEAD:$f" 2>/dev/null;
			echo "/* bench change $i */") |
			git -C "$d/dev" hash-object -w --stdin)
		GIT_INDEX_FILE=$d/index git -C "$d/dev" read-tree HEAD
		GIT_INDEX_FILE=$d/index git -C "$d/dev" update-index --add \
			--cacheinfo "100644,$blob,$f"
		tree=$(GIT_INDEX_FILE=$d/index git -C "$d/dev" write-tree)
		new=$(echo "bench change $i" |
			git -C "$d/dev" commit-tree "$tree" -p HEAD)
		git -C "$d/dev" update-ref HEAD "$new"
	done
	echo "refs/heads/$branch $new refs/heads/$branch $head" >"$d/stdin"
	for l in plain fp; do
		: >"$d/$l.hook"
		k=0
		while [ $k -lt "$RUNS" ]; do
			/usr/bin/time -f '%e %U %S' -o "$d/one" env -C "$d/dev" \
				GIT_EMBARGO_LIST="$d/$l.list" git embargo hook \
				pre-push origin "$d/remote.git" <"$d/stdin" \
				>/dev/null 2>&1
			tail -n 1 "$d/one" >>"$d/$l.hook"
			k=$((k + 1))
		done
	done
	set -- $(medians "$d/plain.hook") $(medians "$d/fp.hook")
	awk -v pw="$1" -v pc="$2" -v fw="$3" -v fc="$4" 'BEGIN {
		printf "  pre-push of 10 commits: %.0f ms wall, %.0f ms CPU without; %.0f ms wall, %.0f ms CPU with (+%.0f ms CPU)\n",
			pw * 1000, pc * 1000, fw * 1000, fc * 1000, (fc - pc) * 1000
	}'
}

# Does a finding stand at threshold t?  "adds K of N lines of the fix"
# stands when K is t% of N (and 2 when N is); the others always do.
stands='
function stands(m,   a, na, i, k, n) {
	if (m !~ /lines of the fix/) return 1
	na = split(m, a, " ")
	for (i = 1; i <= na; i++) if (a[i] == "of") break
	k = a[i - 1] + 0; n = a[i + 1] + 0
	return k * 100 >= t * n && k >= (n < 2 ? n : 2)
}'

backports() {
	repo=$(cd "$1" && pwd)
	fixes=$2
	name=$(basename "$repo" .git)
	[ "$name" = repo ] && name=$(basename "$(dirname "$repo")")
	d=$work/bp
	mkdir -p "$d"
	git clone -q --mirror "$repo" "$d/r.git"
	git -C "$d/r.git" log --branches --tags --no-merges --format='%H%x09%ct%x09%s' \
		>"$d/all"
	git config --global embargo.fixThreshold 1
	: >"$d/list"
	: >"$d/fixes"
	k=0
	grep -v '^#' "$fixes" | while IFS='	' read -r cve subject; do
		[ -n "$subject" ] || continue
		k=$((k + 1))
		awk -F'\t' -v s="$subject" '$3 == s { print $2 "\t" $1 }' \
			"$d/all" | sort -n | cut -f2 | awk '!seen[$0]++' \
			>"$d/copies.$k"
		n=$(wc -l <"$d/copies.$k")
		origin=$(head -n 1 "$d/copies.$k")
		if [ "$n" -lt 2 ]; then
			printf '%s\t%s\t%s\t%s\t%s\n' "$k" "$cve" "$n" - "$subject" >>"$d/fixes"
			continue
		fi
		GIT_DIR=$d/r.git git embargo fingerprint --id "BP-$k" \
			"$origin^!" >"$d/one.list" 2>/dev/null || continue
		cat "$d/one.list" >>"$d/list"
		nl=$(sed -n 's/.* \([0-9]*\) distinctive line.*/\1/p' "$d/one.list")
		printf '%s\t%s\t%s\t%s\t%s\n' "$k" "$cve" "$n" "$nl" "$subject" >>"$d/fixes"
	done
	/usr/bin/time -f '%e %U %S' -o "$d/one" env GIT_DIR="$d/r.git" \
		git embargo scan --list "$d/list" --branches --tags --format json \
		>"$d/found.json" 2>"$d/scan.err"
	[ -s "$d/found.json" ] || { cat "$d/scan.err"; bench_die "scan failed"; }
	jq -r '.findings[] | select(.kind == "fix") |
		[.identifier, .commit, .match] | @tsv' "$d/found.json" |
		sed 's/^BP-//' | sort -u >"$d/found"
	echo
	echo "== $name: $(grep -c . "$d/fixes") fixes, one scan of all branches and tags" \
		"($(git -C "$d/r.git" rev-list --branches --tags | wc -l) commits):" \
		"$(tail -n 1 "$d/one" | awk '{ print $1 }') s"
	# per threshold: copies found (not counting the fingerprinted one),
	# and commits flagged that carry no copy
	for t in 20 30 40 50 60 70 80 90 100; do
		awk -F'\t' -v t="$t" -v dir="$d" '
		'"$stands"'
		FNR == NR { f[$1] = $0; next }
		{ if (stands($3)) hit[$1 "," $2] = 1 }
		END {
			for (k in f) {
				split(f[k], x, "\t")
				if (x[4] == "-") continue
				file = dir "/copies." k
				first = ""; c = 0; found = 0
				while ((getline line < file) > 0) {
					if (first == "") { first = line; copy[k "," line] = 1; continue }
					copy[k "," line] = 1; c++
					if (hit[k "," line]) found++
				}
				close(file)
				tc += c; tf += found
			}
			for (h in hit) if (!copy[h]) fp++
			printf "  threshold %3d%%: %d of %d copies found, %d false flags\n", t, tf, tc, fp
		}' "$d/fixes" "$d/found"
	done
	echo "  per fix, at the default threshold (${DEFAULT:-50}%):"
	echo "  fix  CVE  copies  lines  found  false  subject"
	t=${DEFAULT:-50}
	awk -F'\t' -v t="$t" -v dir="$d" '
	'"$stands"'
	FNR == NR { f[$1] = $0; order[++nf] = $1; next }
	{ if (stands($3)) { hit[$1 "," $2] = 1; how[$1 "," $2] = $3 } }
	END {
		for (j = 1; j <= nf; j++) {
			k = order[j]; split(f[k], x, "\t")
			if (x[4] == "-") {
				printf "  %-4s %-15s %d copy: not a backport  %s\n", k, x[2], x[3], x[5]
				continue
			}
			file = dir "/copies." k; first = ""; c = 0; found = 0; delete mine
			while ((getline line < file) > 0) {
				mine[line] = 1
				if (first == "") { first = line; continue }
				c++; if (hit[k "," line]) found++
			}
			close(file)
			fp = 0; fps = ""
			for (h in hit) {
				split(h, y, ",")
				if (y[1] == k && !mine[y[2]]) { fp++; fps = fps " " substr(y[2], 1, 10) }
			}
			printf "  %-4s %-15s %6d %6s %3d/%-3d %5d  %s%s\n", k, x[2], x[3], x[4], found, c, fp, x[5], fps ? "  (false:" fps ")" : ""
		}
	}' "$d/fixes" "$d/found"
}

case $mode in
speed)
	for repo in "$@"; do
		speed "$repo"
	done
	;;
backports)
	[ $# -eq 2 ] || bench_die "usage: fixprint.sh BINARY backports REPO FIXES-FILE"
	backports "$1" "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
	;;
*)
	bench_die "unknown mode '$mode': speed or backports"
	;;
esac
