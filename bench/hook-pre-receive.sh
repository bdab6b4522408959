#!/bin/sh
# bench/hook-pre-receive.sh [BIN] - the server hook on a big push: a new
# 100,000-commit repository (bench/mkhistory.sh, kept in $BENCH_DIR)
# pushed over file:// into an empty bare repository with the pre-receive
# hook, against the same push into one without a hook.  The hook scans
# every commit: message, author, committer, the paths each adds and the
# lines it adds.  Run twice: with the default limit (embargo.timeout,
# 4 s: a push that does not finish is rejected) and with no limit, to
# see the whole cost.
#
#   BENCH_DIR=/tmp/embargo-bench COMMITS=100000 sh bench/hook-pre-receive.sh
set -eu
BIN=${1:-$(pwd)/git-embargo}
BENCH_DIR=${BENCH_DIR:-/tmp/embargo-bench}
COMMITS=${COMMITS:-100000}
here=$(cd "$(dirname "$0")" && pwd)
repo=$BENCH_DIR/hook-history-$COMMITS
# this script's own files: BENCH_DIR may be shared with other benchmarks
W=$BENCH_DIR/hook-pre-receive

. "$here/hook-lib.sh"
n=$(git -C "$repo" rev-list --count main)

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

# push into a fresh bare repository; $1: "none", or the hook's limit in ms
push() {
	rm -rf "$W/srv.git"
	git init -q --bare "$W/srv.git"
	if [ "$1" != none ]; then
		git embargo install "$W/srv.git" >/dev/null
		# the installed hook, with --verbose for the hook's own account
		sed 's/hook pre-receive/hook --verbose pre-receive/' \
			"$W/srv.git/hooks/pre-receive" >"$W/pre-receive"
		cat "$W/pre-receive" >"$W/srv.git/hooks/pre-receive"
		export GIT_EMBARGO_TIMEOUT_MS="$1"
	fi
	t0=$(now)
	status=0
	git -C "$repo" push -q "file://$W/srv.git" main \
		2>"$W/push.err" || status=$?
	t1=$(now)
	unset GIT_EMBARGO_TIMEOUT_MS
	echo "$(ms "$t0" "$t1") $status"
}

echo "pre-receive: push of a new $n-commit repository over file://"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
set -- $(push none)
base=$1
echo "no hook:                 $1 ms (exit $2)"
set -- $(push 4000)
echo "hook, embargo.timeout 4 s: $1 ms (exit $2), the hook's part about $(( $1 - base )) ms"
sed -n 's/^remote: //p' "$W/push.err" | grep -E 'git-embargo' | head -3
set -- $(push 0)
echo "hook, no limit:          $1 ms (exit $2), the hook's part about $(( $1 - base )) ms"
sed -n 's/^remote: //p' "$W/push.err" | grep -E 'git-embargo' | head -3
