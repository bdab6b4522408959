# tests/lib.sh - the one library of the shell tests: an isolated git
# environment, a scratch folder ($SCRATCH, removed at exit with any git
# daemon started here), and the checks.  Each counted check prints
# "ok - NAME", or "not ok - NAME" with what it saw indented below, and
# counts through pass or fail; each script ends with `finish`, which
# prints "N passed, N failed".
#
#   check NAME CMD...             CMD succeeds
#   scenario NAME 'COMMANDS'      shell commands, run in a subshell from
#                                 $SCRATCH, succeed
#   expect NAME STATUS CMD...     CMD exits with STATUS; its output is $OUT
#   contains NAME TEXT            $OUT has the fixed string TEXT
#   lacks NAME TEXT               it does not
#   skip NAME WHY                 a check that cannot run here
#
# Inside a scenario, `has FILE TEXT` and `hasnt FILE TEXT` say whether a
# file holds a fixed string (not counted: the scenario is).  The hook
# tests add their repositories and helpers with tests/t-hook-lib.sh.
set -u

BIN=${EMBARGO_BIN:?EMBARGO_BIN must name the git-embargo binary}
TESTS_PASSED=0
TESTS_FAILED=0
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/embargo-sh-XXXXXX")
DAEMON_PID=
cleanup() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
	fi
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

# show FILE: what a failed check saw, under its "not ok" line
show() { sed 's/^/    | /' "$1"; }

# has FILE TEXT, hasnt FILE TEXT: FILE holds (or not) the fixed string
# TEXT; when not as said, which string and the file are printed
has() {
	grep -qF -e "$2" "$1" || { echo "missing: $2"; cat "$1"; return 1; }
}
hasnt() {
	! grep -qF -e "$2" "$1" || { echo "unexpected: $2"; cat "$1"; return 1; }
}

# check NAME CMD...: one counted check, passed when CMD succeeds
check() {
	_check_name=$1
	shift
	if "$@" >"$SCRATCH/.check" 2>&1; then
		pass "$_check_name"
	else
		fail "$_check_name"
		show "$SCRATCH/.check"
	fi
}

# scenario NAME COMMANDS: COMMANDS (joined with &&) in a subshell, from
# $SCRATCH, so that a `cd` or a variable stays inside
in_scratch() { (cd "$SCRATCH" && eval "$1"); }
scenario() { check "$1" in_scratch "$2"; }

# expect NAME STATUS CMD...: run CMD, its stdout and stderr to $OUT
expect() {
	_expect_name=$1 _expect_want=$2
	shift 2
	"$@" >"$SCRATCH/out" 2>&1
	_expect_got=$?
	OUT=$(cat "$SCRATCH/out")
	if [ "$_expect_got" -eq "$_expect_want" ]; then
		pass "$_expect_name"
	else
		fail "$_expect_name (exit $_expect_got, expected $_expect_want)"
		show "$SCRATCH/out"
	fi
}

# contains NAME TEXT, lacks NAME TEXT: about $OUT (the last expect's,
# or set by the script)
contains() {
	printf '%s\n' "$OUT" >"$SCRATCH/.last"
	check "$1" has "$SCRATCH/.last" "$2"
}
lacks() {
	printf '%s\n' "$OUT" >"$SCRATCH/.last"
	check "$1" hasnt "$SCRATCH/.last" "$2"
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
# 127.0.0.1; sets DAEMON_PID (killed at exit) and DAEMON_PORT, or
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

# start_http_backend ROOT: lighttpd on a free port of 127.0.0.1 running
# `git http-backend` as a CGI for the repositories under ROOT, at
# http://127.0.0.1:$HTTP_PORT/git/NAME; sets HTTP_PID and HTTP_PORT (the
# caller kills HTTP_PID), or returns 1 with lighttpd's last words in
# $SCRATCH/lighttpd/error.log.  lighttpd started without -D returns
# only once its server listens (the parent waits for the server's word
# on a pipe) and fails when the port is taken: its exit status is the
# signal, so nothing waits on a clock.  A CGI sees only the environment
# lighttpd gives it: the isolated git environment is passed on by name.
start_http_backend() {
	HTTP_PID= HTTP_PORT=
	command -v lighttpd >/dev/null 2>&1 || return 1
	d=$SCRATCH/lighttpd
	mkdir -p "$d"
	env=
	for v in PATH HOME USER GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL \
		GIT_EMBARGO_NOW GIT_EMBARGO_TIMEOUT_MS ASAN_OPTIONS \
		UBSAN_OPTIONS LSAN_OPTIONS TSAN_OPTIONS; do
		eval "val=\${$v-}"
		[ -z "$val" ] || env="$env, \"$v\" => \"$val\""
	done
	for try in 1 2 3 4 5 6 7 8; do
		port=$(( 20000 + ($$ * 11 + try * 1019) % 40000 ))
		cat >"$d/lighttpd.conf" <<EOF
server.document-root = "$d"
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$d/pid"
server.errorlog = "$d/error.log"
server.modules = ( "mod_alias", "mod_cgi", "mod_setenv" )
alias.url = ( "/git" => "$(git --exec-path)/git-http-backend" )
\$HTTP["url"] =~ "^/git/" {
	cgi.assign = ( "" => "" )
	setenv.add-environment = ( "GIT_PROJECT_ROOT" => "$1",
		"GIT_HTTP_EXPORT_ALL" => "1"$env )
}
EOF
		if lighttpd -f "$d/lighttpd.conf" 2>>"$d/error.log"; then
			HTTP_PID=$(cat "$d/pid") HTTP_PORT=$port
			return 0
		fi
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
