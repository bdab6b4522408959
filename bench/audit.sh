#!/bin/sh
# bench/audit.sh - `git embargo audit` over generated organisations:
# repositories per second and peak memory at --jobs 1 and --jobs 2.
#
#   sh bench/audit.sh [path/to/git-embargo]
#
# Two organisations are generated once (with git fast-import, so quickly)
# under $BENCH_DIR (default ${TMPDIR:-/tmp}/embargo-bench-audit) and kept
# for later runs:
#   small/  $N_SMALL (500) bare repositories of 3-5 commits each; every
#           20th has no SECURITY.md, every 50th an embargoed identifier in
#           an added line, every 100th one only on a tag
#   large/  $N_LARGE (10) repositories of $LARGE_COMMITS (5000) commits,
#           each commit changing a 2-4 KiB file; one reference planted
# Wall and CPU seconds and peak memory are measured with GNU time (Debian
# package `time`), after one warm-up run of each case; the audit
# streams rows, so peak memory should not grow with the number of
# repositories: the small set is also audited at a tenth of its size.
# The small set is also audited as a security lead does every week: the
# HTML report, against last week's JSON (--baseline), and as 4 shards
# merged into one report.
set -eu

BIN=${1:-${EMBARGO_BIN:-git-embargo}}
N_SMALL=${N_SMALL:-500}
N_LARGE=${N_LARGE:-10}
LARGE_COMMITS=${LARGE_COMMITS:-5000}
JOBS=${JOBS:-1 2}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/embargo-bench-audit}
TIME=/usr/bin/time

[ -x "$TIME" ] || { echo "bench/audit.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_EMBARGO_NOW=2026-06-01
unset GIT_DIR GIT_WORK_TREE GIT_EMBARGO_LIST
mkdir -p "$BENCH_DIR"
cd "$BENCH_DIR"

cat >embargo.list <<'EOF'
[embargo "CVE-2026-4242"]
	until = 2099-12-31
[embargo "CVE-2026-4343"]
	until = 2099-12-31
EOF

# fast-import stream of a small repository $1 (number)
small_stream() {
	n=$1 t=1767225600 c=0
	ncommits=$((3 + n % 3))
	while [ $c -lt $ncommits ]; do
		c=$((c + 1))
		printf 'commit refs/heads/main\nmark :%d\n' $c
		printf 'committer Bench <bench@example.org> %d +0000\n' $((t + c * 86400))
		msg="Change $c of repository $n"
		printf 'data %d\n%s\n' ${#msg} "$msg"
		[ $c -gt 1 ] && printf 'from :%d\n' $((c - 1))
		body="int f$c(void) { return $c; }"
		if [ $c -eq 2 ] && [ $((n % 50)) -eq 0 ]; then
			body="/* fixes CVE-2026-4242 */"
		fi
		printf 'M 644 inline src/f%d.c\ndata %d\n%s\n' $c ${#body} "$body"
		if [ $c -eq 1 ] && [ $((n % 20)) -ne 0 ]; then
			pol="# Security\n\nReport privately to security@acme-corp.net.\n"
			printf 'M 644 inline SECURITY.md\ndata %d\n' \
				$(printf "$pol" | wc -c)
			printf "$pol"
			printf '\n'
		fi
	done
	if [ $((n % 100)) -eq 1 ]; then
		printf 'commit refs/tags/hotfix-%d\nmark :99\n' $n
		printf 'committer Bench <bench@example.org> %d +0000\n' $((t + 99 * 86400))
		msg="Fix CVE-2026-4343"
		printf 'data %d\n%s\nfrom :%d\n\n' ${#msg} "$msg" $c
	fi
}

# fast-import stream of a large repository: $LARGE_COMMITS commits
large_stream() {
	n=$1
	awk -v n="$n" -v commits="$LARGE_COMMITS" 'BEGIN {
		t = 1700000000
		pol = "# Security\n\nReport privately to security@acme-corp.net.\n"
		for (c = 1; c <= commits; c++) {
			printf "commit refs/heads/main\nmark :%d\n", c
			printf "committer Bench <bench@example.org> %d +0000\n", t + c * 3600
			msg = "Change " c " of large repository " n
			if (c == int(commits / 2))
				msg = msg " (CVE-2026-4242)"
			printf "data %d\n%s\n", length(msg), msg
			if (c > 1)
				printf "from :%d\n", c - 1
			body = ""
			lines = 60 + (c * 7) % 60
			for (l = 0; l < lines; l++)
				body = body sprintf("line %d of commit %d in file %d\n", l, c, c % 40)
			printf "M 644 inline src/file%d.c\ndata %d\n%s\n", c % 40, length(body), body
			if (c == 1)
				printf "M 644 inline SECURITY.md\ndata %d\n%s\n", length(pol), pol
		}
	}'
}

if [ ! -e small/.done ] || [ "$(cat small/.done)" != "$N_SMALL" ]; then
	echo "generating $N_SMALL small repositories in $BENCH_DIR/small ..." >&2
	rm -rf small && mkdir -p small
	i=0
	while [ $i -lt "$N_SMALL" ]; do
		d=small/team$((i % 10))/repo$i.git
		git init -q --bare -b main "$d"
		small_stream $i | git -C "$d" fast-import --quiet
		i=$((i + 1))
	done
	echo "$N_SMALL" >small/.done
fi
if [ ! -e large/.done ] || [ "$(cat large/.done)" != "$N_LARGE/$LARGE_COMMITS" ]; then
	echo "generating $N_LARGE large repositories in $BENCH_DIR/large ..." >&2
	rm -rf large && mkdir -p large
	i=0
	while [ $i -lt "$N_LARGE" ]; do
		git init -q --bare -b main "large/big$i.git"
		large_stream $i | git -C "large/big$i.git" fast-import --quiet
		git -C "large/big$i.git" repack -adq
		i=$((i + 1))
	done
	echo "$N_LARGE/$LARGE_COMMITS" >large/.done
fi
# a tenth of the small organisation, to see that memory is flat
mkdir -p tenth
[ -e tenth/team0 ] || ln -s ../small/team0 tenth/team0

FMT=json
run() { # label jobs sources... ($FMT: the format)
	label=$1 jobs=$2
	shift 2
	# warm the page cache first: the first pass over 1,000 fresh
	# repositories measures the disk, not the audit
	"$BIN" audit --list embargo.list --format json --quiet --jobs "$jobs" \
		"$@" >/dev/null 2>&1 || true
	set +e
	$TIME -f '%e %M %U %S' -o time.out "$BIN" audit --list embargo.list \
		--format "$FMT" --quiet --jobs "$jobs" "$@" >out.$FMT 2>/dev/null
	status=$?
	set -e
	[ "$FMT" = json ] && cp out.json out-json.last
	set -- $(tail -n 1 time.out)
	secs=$1 rss=$2 cpu=$(awk -v u="$3" -v s="$4" 'BEGIN { printf "%.2f", u + s }')
	case $FMT in
	json) rows=$(grep -c '"type":"repository"' out.json || true) ;;
	html) rows=$(grep -c '<tr data-status' out.html || true) ;;
	*) rows=$(grep -c '^[^ ].*  \(leak\|error\|warning\|ok\|private-findings\|incomplete\|not-audited\)  ' out.$FMT || true) ;;
	esac
	printf '%-22s %6s %5s %8s %8s %9s %9s %5s\n' "$label" "$rows" "$jobs" \
		"$secs" "$cpu" \
		"$(awk -v n="$rows" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')" \
		"$((rss / 1024)) MiB" "$status"
	[ "$FMT" != json ] || tail -n 1 out.json >"summary-$label-$jobs.json"
}

# one timed command, as run() prints it: label rows command...
timed() {
	label=$1 rows=$2
	shift 2
	set +e
	$TIME -f '%e %M %U %S' -o time.out "$@" >/dev/null 2>&1
	status=$?
	set -e
	set -- $(tail -n 1 time.out)
	printf '%-22s %6s %5s %8s %8s %9s %9s %5s\n' "$label" "$rows" 1 "$1" \
		"$(awk -v u="$3" -v s="$4" 'BEGIN { printf "%.2f", u + s }')" \
		"$(awk -v n="$rows" -v s="$1" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')" \
		"$(($2 / 1024)) MiB" "$status"
}

echo "git-embargo audit benchmark, $(nproc) processors, $(date -u +%Y-%m-%d)"
echo "binary: $BIN ($("$BIN" --version))"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
printf '%-22s %6s %5s %8s %8s %9s %9s %5s\n' set repos jobs wall-s cpu-s \
	"repos/s" "peak RSS" exit
for j in $JOBS; do
	run "small ($N_SMALL)" "$j" small
done
for j in $JOBS; do
	run "small tenth" "$j" tenth/team0
done
# the weekly report: HTML and text, against last week's JSON, 4 shards
FMT=html run "small html" 2 small
FMT=text run "small text" 2 small
cp out-json.last lastweek.json
timed "small --baseline" "$N_SMALL" "$BIN" audit --list embargo.list \
	--format json --quiet --jobs 2 --baseline lastweek.json small
for i in 1 2 3 4; do
	"$BIN" audit --list embargo.list --format json --quiet --jobs 2 \
		--shard $i/4 small >part$i.json 2>/dev/null || true
done
timed "merge 4 shards (html)" "$N_SMALL" "$BIN" audit --merge --format html \
	--output merged.html part1.json part2.json part3.json part4.json
for j in $JOBS; do
	run "large ($N_LARGE x $LARGE_COMMITS)" "$j" large
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
echo "summaries: $(cat "summary-small ($N_SMALL)-1.json")"
echo "           $(cat "summary-large ($N_LARGE x $LARGE_COMMITS)-1.json")"
