# t-hook-lib.sh - what the hook tests add to tests/lib.sh (sourced, not
# run by itself): lib.sh's checks, counts and `finish`, and for the
# hooks
#
#   server_and_dev          a bare srv.git with the hooks installed and
#                           a clone-like dev with its first commit there
#   commit DIR MSG [TEXT]   a new commit in DIR, with a file of its own
#   rev REPO REV            the id of REV in REPO, or nothing
#   installed FILE HOOK     FILE is this build's HOOK script
#
# Every test runs real git: clones, commits and `git push` into bare
# repositories that have the hooks `git embargo install` writes.  On top
# of lib.sh's isolated environment: fixed dates, "today" for the
# embargo list (GIT_EMBARGO_NOW), the list in the global config (git
# reads GIT_CONFIG_GLOBAL, libgit2 1.5 reads $HOME/.gitconfig: lib.sh
# makes them the same file), and a user name for audit records.

. "$(dirname "$0")/lib.sh"

TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$TESTS_DIR/.." && pwd)

GIT_AUTHOR_DATE='2026-01-01T00:00:00Z'
GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
GIT_EMBARGO_NOW=2026-06-01
USER=tester
export GIT_AUTHOR_DATE GIT_COMMITTER_DATE GIT_EMBARGO_NOW USER
unset GL_USERNAME GITHUB_USER_LOGIN REMOTE_USER \
	GIT_PUSH_OPTION_COUNT GL_ID GL_PROJECT_PATH GL_USER GL_REPO \
	GITHUB_REPO_NAME GITHUB_REPO_PUBLIC GITEA_PUSHER_NAME \
	GITEA_REPO_USER_NAME GITEA_REPO_NAME

LIST=$SCRATCH/embargo.list
cat >"$LIST" <<'EOF'
[embargo "CVE-2026-31337"]
	until = 2026-12-31
	note = heap overflow in the parser
[embargo "CVE-2025-1111"]
	until = 2026-03-01
EOF
git config --global user.name 'A U Thor'
git config --global user.email author@example.org
git config --global embargo.list "$LIST"
git config --global advice.detachedHead false
# No deadline (embargo.timeout 0, in every repository): a hook test never
# races the clock on a slow or loaded machine or under a sanitizer.  The
# tests of the deadline set it already past with
# GIT_EMBARGO_TIMEOUT_MS=expired, or set embargo.timeout in the repository.
git config --global embargo.timeout 0

# A commit in work tree $1 with message $2, adding a file of its own
# (content $3 when given), so that every commit is new.
commit() {
	tick=$(( $(cat "$SCRATCH/.tick" 2>/dev/null || echo 0) + 1 ))
	echo "$tick" >"$SCRATCH/.tick"
	printf '%s\n' "${3:-change $tick}" >"$1/file-$tick" &&
	git -C "$1" add "file-$tick" &&
	git -C "$1" commit -q -m "$2"
}

# The id of a revision in repository $1, or nothing.
rev() { git -C "$1" rev-parse --verify -q "$2"; }

# The script install wrote at $1 for hook $2: git-embargo's, running
# this build's binary by its absolute path.
installed() {
	grep -qF "# Installed by 'git embargo install'" "$1" &&
	grep -qF "embargo='$(realpath "$BIN")'" "$1" &&
	grep -qF "\"\$embargo\" hook $2" "$1" ||
		{ echo "not the $2 hook of this build: $1"; cat "$1"; return 1; }
}

# The usual pair: a bare server repository srv.git with the hooks
# installed, and a clone-like dev whose first commit is already there.
server_and_dev() {
	git init -q --bare "$SCRATCH/srv.git" &&
	git -C "$SCRATCH/srv.git" embargo install >/dev/null &&
	git init -q "$SCRATCH/dev" &&
	git -C "$SCRATCH/dev" remote add origin "file://$SCRATCH/srv.git" &&
	commit "$SCRATCH/dev" "Initial import" >/dev/null &&
	git -C "$SCRATCH/dev" push -q origin main 2>/dev/null
}
