# tests/lib.sh - shared by the shell tests: an isolated git environment,
# a scratch folder, and `ok`/`expect` that count results.  Each test
# script ends with `finish`, which prints "N passed, N failed".
set -u

BIN=${EMBARGO_BIN:?EMBARGO_BIN must name the git-embargo binary}
TESTS_PASSED=0
TESTS_FAILED=0
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/embargo-sh-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

# git runs `git embargo` from PATH; the isolated identity and config.
mkdir -p "$SCRATCH/bin" "$SCRATCH/home"
ln -s "$BIN" "$SCRATCH/bin/git-embargo"
PATH="$SCRATCH/bin:$PATH"
HOME="$SCRATCH/home"
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL="$SCRATCH/home/.gitconfig"
GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL=author@example.org
GIT_COMMITTER_NAME="C O Mitter" GIT_COMMITTER_EMAIL=committer@example.org
NO_COLOR=1
export PATH HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_AUTHOR_NAME \
	GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL NO_COLOR
unset GIT_DIR GIT_WORK_TREE GIT_EMBARGO_LIST GIT_EMBARGO_NOW
git config --global init.defaultBranch main
git config --global protocol.file.allow always

pass() { TESTS_PASSED=$((TESTS_PASSED + 1)); echo "ok - $1"; }
fail() { TESTS_FAILED=$((TESTS_FAILED + 1)); echo "not ok - $1"; }

# expect NAME STATUS CMD...: run CMD, stdout+stderr to $OUT, check status
expect() {
	name=$1 want=$2
	shift 2
	"$@" >"$SCRATCH/out" 2>&1
	got=$?
	OUT=$(cat "$SCRATCH/out")
	if [ "$got" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name (exit $got, expected $want)"
		sed 's/^/    | /' "$SCRATCH/out"
	fi
}

# contains NAME TEXT: the last $OUT contains TEXT (fixed string)
contains() {
	if printf '%s\n' "$OUT" | grep -qF -- "$2"; then
		pass "$1"
	else
		fail "$1: output lacks '$2'"
		printf '%s\n' "$OUT" | sed 's/^/    | /'
	fi
}

# lacks NAME TEXT: the last $OUT does not contain TEXT
lacks() {
	if printf '%s\n' "$OUT" | grep -qF -- "$2"; then
		fail "$1: output has '$2'"
		printf '%s\n' "$OUT" | sed 's/^/    | /'
	else
		pass "$1"
	fi
}

# skip NAME WHY: a check that cannot run here, said on one line
TESTS_SKIPPED=0
skip() { TESTS_SKIPPED=$((TESTS_SKIPPED + 1)); echo "ok - $1 # skip $2"; }

# have_pty: script(1) can give a command a pseudo-terminal here (not in a
# container or chroot without /dev/pts, nor where script is missing)
have_pty() {
	command -v script >/dev/null 2>&1 &&
		script -qec 'test -t 1 && echo pty' /dev/null </dev/null 2>/dev/null |
		grep -q pty
}

# start_git_daemon ARGS...: `git daemon ARGS` on a free port of
# 127.0.0.1; sets DAEMON_PID and DAEMON_PORT (the caller kills it), or
# returns 1 with the daemon's last words in $SCRATCH/daemon.log.  The
# daemon says "Ready to rumble" once it listens: that line, read from a
# pipe, is the signal, so nothing waits on a clock.
start_git_daemon() {
	DAEMON_PID= DAEMON_PORT=
	rm -f "$SCRATCH/daemon.fifo"
	mkfifo "$SCRATCH/daemon.fifo" || return 1
	for try in 1 2 3 4 5 6 7 8; do
		port=$(( 20000 + ($$ * 7 + try * 1013) % 40000 ))
		git daemon --verbose --listen=127.0.0.1 --port=$port \
			--reuseaddr "$@" 2>"$SCRATCH/daemon.fifo" &
		pid=$!
		exec 3<"$SCRATCH/daemon.fifo"
		ready=
		while IFS= read -r line <&3; do
			printf '%s\n' "$line" >>"$SCRATCH/daemon.log"
			case $line in *"Ready to rumble"*) ready=1; break ;; esac
		done
		if [ -n "$ready" ]; then
			cat <&3 >>"$SCRATCH/daemon.log" &
			exec 3<&-
			DAEMON_PID=$pid DAEMON_PORT=$port
			return 0
		fi
		exec 3<&-
		wait "$pid" 2>/dev/null
	done
	return 1
}

finish() {
	if [ "$TESTS_SKIPPED" -gt 0 ]; then
		echo "$TESTS_PASSED passed, $TESTS_FAILED failed, $TESTS_SKIPPED skipped"
	else
		echo "$TESTS_PASSED passed, $TESTS_FAILED failed"
	fi
	[ "$TESTS_FAILED" -eq 0 ]
}
