#!/bin/sh
# make demo: a small repository with an embargo list and planted
# references, scanned by git-embargo.  Everything lives in a temp folder.
set -eu
BIN=${1:?usage: demo.sh /path/to/git-embargo}
DEMO=$(mktemp -d "${TMPDIR:-/tmp}/embargo-demo-XXXXXX")
trap 'rm -rf "$DEMO"' EXIT
mkdir "$DEMO/bin"
ln -s "$BIN" "$DEMO/bin/git-embargo"
PATH="$DEMO/bin:$PATH"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Dana Developer" GIT_AUTHOR_EMAIL=dana@example.org
export GIT_COMMITTER_NAME="Dana Developer" GIT_COMMITTER_EMAIL=dana@example.org

cd "$DEMO"
cat >embargo.list <<'LIST'
# The security team's embargo list (git-config syntax).
[embargo "CVE-2026-31337"]
	until = 2026-12-31
	alias = Bleeding Heart
	note = heap overflow in the parser
[embargo "SEC-1042"]
	until = 2027-01-01
LIST
# A hashed entry: the list can travel without revealing the identifier.
git embargo hash GHSA-4f5x-abcd-9xyz >>embargo.list
printf '\tuntil = 2027-01-15\n' >>embargo.list

git init -q -b main app && cd app
printf 'int parse(const char *s);\n' >parser.c
git add . && git commit -q -m "Initial parser"
printf 'int parse(const char *s);\n/* bounds check, see CVE-2026-31337 */\n' >parser.c
git commit -q -am "Fix heap overflow in the parser"
mkdir -p tests && printf 'test\n' >tests/test_sec_1042.c
git add . && git commit -q -m "Add regression test" -m "Refs: GHSA-4f5x-abcd-9xyz"
git branch fix/SEC-1042
git tag -a v1.0.1 -m "Release 1.0.1: fixes the Bleeding Heart bug"

echo "\$ cat embargo.list"
sed 's/^/  /' ../embargo.list
echo
echo "\$ git log --oneline --all"
git log --oneline --all | sed 's/^/  /'
echo
echo "\$ git embargo scan --list ../embargo.list    (today: 2026-11-22)"
status=0
GIT_EMBARGO_NOW=2026-11-22 git embargo scan --list ../embargo.list || status=$?
echo "(exit status $status: 1 means references to embargoed issues were found)"
echo
echo "\$ GIT_EMBARGO_NOW=2027-02-01 git embargo scan --list ../embargo.list --verbose"
status=0
GIT_EMBARGO_NOW=2027-02-01 git embargo scan --list ../embargo.list \
	--verbose 2>&1 || status=$?
echo "(exit status $status: every embargo has been lifted by then)"
