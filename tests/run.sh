#!/bin/sh
# Run every test program and script given; sum what they report and
# print one closing line "N passed, N failed".  Exit 1 on any failure,
# including a program that crashed before reporting.
#
# With EMBARGO_VALGRIND set (make check VALGRIND=1: a valgrind command
# line), the test programs and every git-embargo the tests start run
# under it, each writing to a log of its own; any error or definite leak
# in any log fails the run.
passed=0 failed=0 status=0
tmp=$(mktemp)
vg=
if [ -n "${EMBARGO_VALGRIND:-}" ]; then
	vglogs=$(mktemp -d)
	vg="$EMBARGO_VALGRIND --log-file=$vglogs/%p.log"
	mkdir "$vglogs/bin"
	# The hooks `install` writes name the binary that wrote them; this
	# wrapper names itself (--binary), so that every hook the tests run
	# runs under valgrind too.  A GitHub Enterprise hook names its fixed
	# place, and an explicit --binary is the test's own: both are left be.
	cat >"$vglogs/bin/git-embargo" <<EOF
#!/bin/sh
case " \$* " in
*" --binary"*|*" --forge ghes "*|*" --forge=ghes "*) ;;
*)	for a; do
		case "\$a" in
		-*) continue ;;
		install) set -- "\$@" --binary "$vglogs/bin/git-embargo" ;;
		esac
		break
	done ;;
esac
exec $vg $EMBARGO_BIN "\$@"
EOF
	chmod +x "$vglogs/bin/git-embargo"
	EMBARGO_BIN=$vglogs/bin/git-embargo
	export EMBARGO_BIN
fi
for t in "$@"; do
	case "$t" in *.sh) cmd="sh $t" ;; *) cmd="$vg $t" ;; esac
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
if [ -n "$vg" ]; then
	n=0
	for log in "$vglogs"/*.log; do
		[ -s "$log" ] || continue
		n=$((n + 1))
		echo "!! valgrind: $log"
		cat "$log"
	done
	echo "valgrind: $n of $(ls "$vglogs" | grep -c '\.log$') processes reported errors or definite leaks"
	if [ "$n" -ne 0 ]; then
		failed=$((failed + n))
		status=1
	fi
	rm -rf "$vglogs"
fi
echo "$passed passed, $failed failed"
exit $status
