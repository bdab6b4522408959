#!/bin/sh
# hitlines.sh - the cost of deciding which hit lines a commit adds
# (issue 9, section 6): a commit that adds HITS lines naming an
# embargoed issue to a large file while removing a folder of FILES
# files, scanned by two builds in one run.
#
#   sh bench/hitlines.sh OLD_BINARY NEW_BINARY [HITS [FILES]]
#
# HITS defaults to 300, FILES to 2000 (about 10 KB each, 20 MB in
# all); the large file has 20,000 lines.  The repository is made once
# in $BENCH_DIR/hitlines-HITS-FILES.git with git fast-import.  Timed
# (BENCH_RUNS rounds): `git embargo scan main^!` with each build, and
# `git log -p -1` for scale; both builds must report the same HITS
# findings.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_need

[ $# -ge 2 ] || bench_die "usage: hitlines.sh OLD_BINARY NEW_BINARY [HITS [FILES]]"
bench_binaries "$1" "$2"
hits=${3:-300} files=${4:-2000}
mkdir -p "$BENCH_DIR"
repo=$BENCH_DIR/hitlines-$hits-$files.git
list=$BENCH_DIR/hitlines.list
printf '[embargo "CVE-2026-31337"]\n' > "$list"

if [ ! -f "$repo/bench-complete" ]; then
	rm -rf "$repo"
	git init -q --bare "$repo"
	awk -v hits="$hits" -v files="$files" '
	function blob(mark, text) {
		printf "blob\nmark :%d\ndata %d\n%s\n", mark, length(text), text
	}
	BEGIN {
		big = ""
		for (i = 1; i <= 20000; i++)
			big = big sprintf("static int value_%d = %d; /* filler */\n", i, i * 7)
		blob(1, big)
		for (f = 1; f <= files; f++) {
			t = ""
			for (l = 1; l <= 200; l++)
				t = t sprintf("old file %d line %d: some text here\n", f, l)
			blob(f + 1, t)
		}
		more = big
		for (h = 1; h <= hits; h++)
			more = more sprintf("/* fix for CVE-2026-31337, case %d */\n", h)
		blob(files + 2, more)
		printf "commit refs/heads/main\nmark :%d\ncommitter A <a@b> 1 +0000\ndata 4\nbase\n", files + 3
		printf "M 100644 :1 big.c\n"
		for (f = 1; f <= files; f++)
			printf "M 100644 :%d old/f%d.txt\n", f + 1, f
		printf "\ncommit refs/heads/main\ncommitter A <a@b> 2 +0000\ndata 6\nchange\n"
		printf "from :%d\nD old\nM 100644 :%d big.c\n\n", files + 3, files + 2
	}' | git -C "$repo" fast-import --quiet || bench_die "fast-import failed"
	git -C "$repo" repack -q -a -d && touch "$repo/bench-complete"
fi

echo "git-embargo hit lines benchmark: $hits hit lines added, a folder of $files files removed"
echo "old $("$old" --version), new $("$new" --version); runs per command: $BENCH_RUNS"
bench_set_begin "$BENCH_DIR/hitlines-set"
bench_add old "old: scan main^!" "'$old' scan --list '$list' --threads=1 main^! >'$BENCH_DIR/hitlines.old' 2>&1 --format json; true"
bench_add new "new: scan main^!" "'$new' scan --list '$list' --threads=1 main^! >'$BENCH_DIR/hitlines.new' 2>&1 --format json; true"
bench_add git "git log -p -1 main" "git log -p -1 main >/dev/null"
(cd "$repo" && bench_set_run)
bench_report
echo "old / new: $(bench_ratio "$(bench_time old)" "$(bench_time new)")"
for b in old new; do
	echo "$b: $(jq '.findings | length' "$BENCH_DIR/hitlines.$b") findings"
done
