#!/bin/sh
# Run every test program and script given; sum what they report and
# print one closing line "N passed, N failed".  Exit 1 on any failure,
# including a program that crashed before reporting.
passed=0 failed=0 status=0
tmp=$(mktemp)
for t in "$@"; do
	case "$t" in *.sh) cmd="sh $t" ;; *) cmd="$t" ;; esac
	echo "== $t"
	$cmd >"$tmp" 2>&1
	rc=$?
	cat "$tmp"
	p=0 f=0
	case "$t" in
	*.sh)
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp" | tail -n 1)
		p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
		;;
	*)
		p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$tmp" | \
			sed -E 's/.* ([0-9]+) test.*/\1/' | awk '{s+=$1} END {print s+0}')
		f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$tmp" | \
			sed -E 's/.* ([0-9]+) test.*/\1/' | awk '{s+=$1} END {print s+0}')
		;;
	esac
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=0
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $t exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || status=1
done
rm -f "$tmp"
echo "$passed passed, $failed failed"
exit $status
