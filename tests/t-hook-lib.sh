# t-hook-lib.sh - what the hook tests share (sourced, not run).
#
# Every test runs real git: clones, commits and `git push` into bare
# repositories that have the hooks `git embargo install` writes.  Each
# script gets a scratch folder with its own HOME and global config (git
# reads GIT_CONFIG_GLOBAL, libgit2 1.5 reads $HOME/.gitconfig: both are
# the same file), a fixed identity and dates, and an embargo list.
#
#   expect 'what is checked' 'shell commands joined with &&'
#
# runs the commands in a subshell from $TRASH and counts a pass when
# they succeed; the last line of a script is "N passed, N failed".

set -u

: "${EMBARGO_BIN:?set EMBARGO_BIN to the git-embargo binary under test}"
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$TESTS_DIR/.." && pwd)
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/embargo-hook-XXXXXX")
passed=0
failed=0
DAEMON_PID=

cleanup() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
	fi
	rm -rf "$TRASH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# git finds `git embargo` as git-embargo on PATH, hooks included
mkdir -p "$TRASH/bin" "$TRASH/home"
ln -s "$EMBARGO_BIN" "$TRASH/bin/git-embargo"
PATH=$TRASH/bin:$PATH
HOME=$TRASH/home
GIT_CONFIG_GLOBAL=$HOME/.gitconfig
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL=author@example.org
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL=committer@example.org
GIT_AUTHOR_DATE='2026-01-01T00:00:00Z'
GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
GIT_EMBARGO_NOW=2026-06-01
NO_COLOR=1
USER=tester
export PATH HOME GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME \
	GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
	GIT_AUTHOR_DATE GIT_COMMITTER_DATE GIT_EMBARGO_NOW NO_COLOR USER
unset GIT_DIR GIT_WORK_TREE GIT_EMBARGO_LIST GIT_EMBARGO_TIMEOUT_MS \
	GL_USERNAME GITHUB_USER_LOGIN REMOTE_USER GIT_PUSH_OPTION_COUNT

LIST=$TRASH/embargo.list
cat >"$LIST" <<'EOF'
[embargo "CVE-2026-31337"]
	until = 2026-12-31
	note = heap overflow in the parser
[embargo "CVE-2025-1111"]
	until = 2026-03-01
EOF
cat >"$HOME/.gitconfig" <<EOF
[init]
	defaultBranch = main
[user]
	name = A U Thor
	email = author@example.org
[embargo]
	list = $LIST
[advice]
	detachedHead = false
EOF

expect() {
	if (cd "$TRASH" && eval "$2") >"$TRASH/.out" 2>&1; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		echo "not ok - $1"
		sed 's/^/#   /' "$TRASH/.out"
	fi
}

done_testing() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# A commit in work tree $1 with message $2, adding a file of its own
# (content $3 when given), so that every commit is new.
commit() {
	tick=$(( $(cat "$TRASH/.tick" 2>/dev/null || echo 0) + 1 ))
	echo "$tick" >"$TRASH/.tick"
	printf '%s\n' "${3:-change $tick}" >"$1/file-$tick" &&
	git -C "$1" add "file-$tick" &&
	git -C "$1" commit -q -m "$2"
}

# The id of a revision in repository $1.
rev() { git -C "$1" rev-parse --verify -q "$2"; }

# The output must (or must not) contain a fixed string.
has() { grep -F -e "$2" "$1" >/dev/null || { echo "missing: $2"; cat "$1"; return 1; }; }
hasnt() { ! grep -F -e "$2" "$1" >/dev/null || { echo "unexpected: $2"; cat "$1"; return 1; }; }
