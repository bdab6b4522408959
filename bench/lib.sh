# lib.sh - helpers shared by the bench/ scripts (POSIX sh; sourced).
#
# Timings: every command of a set runs once per round, for BENCH_RUNS
# rounds (default 3), so that the load other processes put on a shared
# machine falls on all of them alike; each reports the median elapsed
# time and the largest peak RSS of its runs, both from /usr/bin/time
# (Debian package `time`, in `make deps`).

BENCH_DIR=${BENCH_DIR:-/tmp/embargo-bench}
BENCH_RUNS=${BENCH_RUNS:-3}
# The scanner's word boundaries are ASCII, and so must git's be.
LC_ALL=C
export LC_ALL

bench_die() {
	echo "bench: $*" >&2
	exit 2
}

# bench_binaries OLD NEW: the two builds' absolute paths in $old and
# $new, or die.
bench_binaries() {
	[ -x "$1" ] && [ -x "$2" ] || bench_die "no such binary: '$1' or '$2'"
	old=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	new=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
}

bench_need() {
	[ -x /usr/bin/time ] ||
		bench_die "/usr/bin/time is missing: run 'make deps' (package time)"
}

# Median of numbers, one a line, on stdin.
bench_median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_set_begin DIR: start a set of commands to time together.
bench_set_begin() {
	bench_set=$1
	rm -rf "$bench_set"
	mkdir -p "$bench_set"
	bench_n=0
}

# bench_add KEY LABEL COMMAND: add a command (run with sh -c, in the
# current folder at bench_set_run time) under a short KEY.
bench_add() {
	bench_n=$((bench_n + 1))
	printf '%s\n' "$1" > "$bench_set/$bench_n.key"
	printf '%s\n' "$2" > "$bench_set/$bench_n.label"
	printf '%s\n' "$3" > "$bench_set/$bench_n.cmd"
}

# bench_set_run: run the set, BENCH_RUNS rounds.
bench_set_run() {
	r=1
	while [ "$r" -le "$BENCH_RUNS" ]; do
		i=1
		while [ "$i" -le "$bench_n" ]; do
			/usr/bin/time -f '%e %M %x' -o "$bench_set/$i.one" \
				sh -c "$(cat "$bench_set/$i.cmd")" \
				>/dev/null 2>"$bench_set/$i.err" || true
			tail -n 1 "$bench_set/$i.one" >> "$bench_set/$i.runs"
			# exit 0 or 1 (findings) are fine; anything else is not
			st=$(awk '{ print $3 }' "$bench_set/$i.one" | tail -n 1)
			case $st in
			0 | 1) ;;
			*) echo "bench: '$(cat "$bench_set/$i.label")' exited $st:" >&2
			   tail -n 3 "$bench_set/$i.err" >&2 ;;
			esac
			i=$((i + 1))
		done
		r=$((r + 1))
	done
}

# bench_time KEY / bench_rss KEY: median seconds, max peak RSS (KiB).
bench_time() {
	i=1
	while [ "$i" -le "$bench_n" ]; do
		if [ "$(cat "$bench_set/$i.key")" = "$1" ]; then
			awk '{ print $1 }' "$bench_set/$i.runs" | bench_median
			return
		fi
		i=$((i + 1))
	done
	echo -
}

bench_rss() {
	i=1
	while [ "$i" -le "$bench_n" ]; do
		if [ "$(cat "$bench_set/$i.key")" = "$1" ]; then
			awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' \
				"$bench_set/$i.runs"
			return
		fi
		i=$((i + 1))
	done
	echo -
}

# bench_mem COMMAND...: run COMMAND (no shell; stdout to /dev/null) and
# print its peak "total anon file" resident memory in MB, sampled from
# /proc/PID/status every 0.1 s.  /usr/bin/time's %M counts the pages of
# the mmap'ed pack files a process has touched (file-backed, shared and
# reclaimable: they grow with the size of the pack read, for git too);
# RssAnon is the heap, which is what must not grow with history.
bench_mem() {
	"$@" >/dev/null 2>&1 &
	_pid=$!
	_peak="0 0 0"
	while kill -0 "$_pid" 2>/dev/null; do
		_s=$(awk '/^VmRSS:/ { t = $2 } /^RssAnon:/ { a = $2 }
			/^RssFile:/ { f = $2 } END { print t + 0, a + 0, f + 0 }' \
			"/proc/$_pid/status" 2>/dev/null)
		[ -n "$_s" ] && _peak=$(echo "$_peak $_s" | awk '{
			print ($4 > $1 ? $4 : $1), ($5 > $2 ? $5 : $2), ($6 > $3 ? $6 : $3) }')
		sleep 0.1
	done
	wait "$_pid"
	echo "$_peak" | awk '{ printf "%.0f %.0f %.0f\n", $1 / 1024, $2 / 1024, $3 / 1024 }'
}

# bench_ratio A B: A / B to two decimals.
bench_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || b + 0 == 0) print "-";
		else printf "%.2f\n", a / b }'
}

# bench_report: the table of the set, one row per command.
bench_report() {
	printf '%-58s %8s  %-20s %9s\n' command "median s" runs "peak RSS"
	i=1
	while [ "$i" -le "$bench_n" ]; do
		printf '%-58s %8s  %-20s %6s MB\n' \
			"$(cat "$bench_set/$i.label")" \
			"$(awk '{ print $1 }' "$bench_set/$i.runs" | bench_median)" \
			"$(awk '{ printf "%s ", $1 }' "$bench_set/$i.runs")" \
			"$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END {
				printf "%.0f", m / 1024 }' "$bench_set/$i.runs")"
		i=$((i + 1))
	done
}

# bench_ids_of REPO: every CVE id in the repository's commit messages,
# canonical (upper case), sorted, one a line.
bench_ids_of() {
	git -C "$1" log --all --format=%B |
		grep -oiE 'CVE-[0-9]{4}-[0-9]{4,}' | tr a-z A-Z | sort -u
}

# bench_list_of: ids on stdin -> an embargo list on stdout.
bench_list_of() {
	awk 'NF { printf "[embargo \"%s\"]\n", $1 }'
}

# bench_ids_in_list LIST: the plain identifiers of an embargo list.
bench_ids_in_list() {
	sed -n 's/^[[:space:]]*\[embargo[[:space:]]*"\([^"]*\)".*/\1/p' "$1" |
		grep -v '^sha256:' || true
}

# bench_grep_re: ids on stdin -> git log -E -i --grep pattern with the
# scanner's rules: "-", "_", "." or one space between the parts, none at
# all between letters and the digits after them and anywhere in a CVE
# id (CVE + 4-digit year + 4 or more digits), and no letter or digit on
# either side.  (The camelCase humps the scanner also takes as a
# boundary, as in TestCVE_2026_31337, need case: -i cannot say them.)
bench_grep_re() {
	awk 'NF { n = split($1, g, "-"); id = g[1]
		  cve = $1 ~ /^CVE-[0-9][0-9][0-9][0-9]-[0-9]+$/ || $1 ~ /^GHSA-/
		  for (i = 2; i <= n; i++) {
			opt = cve || (g[i - 1] ~ /^[A-Za-z]+$/ && g[i] ~ /^[0-9]+$/)
			id = id (opt ? "[-_. ]?" : "[-_. ]") g[i]
		  }
		  a = a (a == "" ? "" : "|") id }
	     END { printf "(^|[^[:alnum:]])(%s)([^[:alnum:]]|$)\n", a }'
}

# bench_describe REPO: one line about the repository.
bench_describe() {
	_c=$(git -C "$1" rev-list --all --count)
	_p=$(du -sk "$1/objects/pack" | awk '{ printf "%.0f", $1 / 1024 }')
	_g=none
	if [ -f "$1/objects/info/commit-graph" ]; then
		# byte 5 of the file is its version; the GDA2 chunk is v2 data
		if grep -q GDA2 "$1/objects/info/commit-graph" 2>/dev/null; then
			_g="present, generation v2 (GDA2 chunk)"
		else
			_g="present, generation v1"
		fi
	elif [ -d "$1/objects/info/commit-graphs" ]; then
		_g="split chain (libgit2 1.5 ignores it)"
	fi
	echo "$(basename "$1"): $_c commits, packs $_p MB, commit-graph $_g"
}

# bench_capacity: how many cores two busy loops get right now (a shared
# or capped machine may give less than nproc says; thread figures mean
# little when this is near 100%).
bench_capacity() {
	/usr/bin/time -f '%P' sh -c 'for i in 1 2; do
		timeout 2 sh -c "while :; do :; done" & done; wait' 2>&1 |
		tail -n 1
}
