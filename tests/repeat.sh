#!/bin/sh
# tests/repeat.sh N MAKE-ARGS...: run `make check MAKE-ARGS` N times in a
# row (make check-repeat), one line per run: its closing count, how long
# it took and the load average when it ended.  Stops at the first run
# that fails, keeping its whole output in build/repeat-K.log, and exits 1;
# exits 0 when all N passed.
n=$1
shift
case "$n" in
'' | *[!0-9]* | 0)
	echo "repeat: N must be a number above 0, not '$n'" >&2
	exit 2
	;;
esac
mkdir -p build
i=1
while [ "$i" -le "$n" ]; do
	log=build/repeat-$i.log
	start=$(date +%s)
	make --no-print-directory check "$@" >"$log" 2>&1
	rc=$?
	count=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	[ -n "$count" ] || count="no closing count, status $rc"
	echo "run $i of $n: $count, $(($(date +%s) - start)) s," \
		"load $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ "$rc" -ne 0 ]; then
		echo "repeat: run $i failed; its output: $log" >&2
		exit 1
	fi
	rm -f "$log"
	i=$((i + 1))
done
echo "repeat: $n of $n runs passed"
