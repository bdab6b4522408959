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

finish() {
	echo "$TESTS_PASSED passed, $TESTS_FAILED failed"
	[ "$TESTS_FAILED" -eq 0 ]
}
