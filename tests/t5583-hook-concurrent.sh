#!/bin/sh
# t5583-hook-concurrent.sh - pushes at the same time: bench/load.sh made
# small.  8 pushes at once over git:// (git daemon) and then 8 over
# http:// (git http-backend behind lighttpd), into one bare repository
# with the pre-receive hook, each from a clone of its own to a branch of
# its own, one in three dirty.  Only outcomes are asserted, never speed
# (embargo.timeout 0, so a slow or loaded machine, or valgrind, changes
# nothing): every clean push landed at its commit, every dirty one was
# rejected and left no ref and no object, no other ref, git fsck clean.
. "$(dirname "$0")/lib.sh"

SRC_DIR=$(cd "$(dirname "$0")/.." && pwd)
transports=
if [ -x "$(git --exec-path)/git-daemon" ]; then
	transports=git
else
	skip "8 pushes at once over git://" "git-daemon is not installed"
fi
if command -v lighttpd >/dev/null 2>&1; then
	transports="$transports http"
else
	skip "8 pushes at once over http://" "lighttpd is not installed (make deps)"
fi

if [ -n "$transports" ]; then
	expect "8 pushes at once per transport ($transports): all as expected" 0 \
		env LOAD_TRANSPORTS="$transports" LOAD_HOOK_TIMEOUT=0 \
		LOAD_COMMITS=4 LOAD_BASE=20 sh "$SRC_DIR/bench/load.sh" "$BIN" 8
	for t in $transports; do
		contains "$t://: every clean push landed at its commit" \
			"ok - $t://: 6 of 6 clean pushes landed, each ref at the pushed commit"
		contains "$t://: every dirty push rejected, no ref" \
			"ok - $t://: 2 of 2 dirty pushes rejected, their refs absent"
		contains "$t://: no object of a rejected push in the repository" \
			"ok - $t://: none of the "
	done
	contains "no ref but main and the clean branches" \
		"ok - refs: main and the $((6 * $(echo $transports | wc -w))) clean branches, nothing else"
	contains "git fsck finds nothing wrong, nothing dangling" \
		"ok - git fsck: no error, nothing dangling"
	contains "no quarantine left" "ok - no quarantine folder left in objects/"
	lacks "no check failed" "not ok"
fi
finish
