#!/bin/sh
# make install: PREFIX and DESTDIR honoured; `git help embargo` and
# `git embargo --help` open the man page; the binary runs as `git embargo`.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$(dirname "$0")/.." && pwd)
DEST="$SCRATCH/dest"
expect "make install into DESTDIR" 0 make -s -C "$SRC" install \
	DESTDIR="$DEST" PREFIX=/opt/embargo BIN="$BIN"
[ -x "$DEST/opt/embargo/bin/git-embargo" ] && pass "binary installed under PREFIX" ||
	fail "no $DEST/opt/embargo/bin/git-embargo"
[ -f "$DEST/opt/embargo/share/man/man1/git-embargo.1" ] &&
	pass "man page installed" || fail "no man page"

COMPL="$DEST/opt/embargo/share/bash-completion/completions/git-embargo"
[ -f "$COMPL" ] && pass "bash completion installed" || fail "no $COMPL"
if command -v bash >/dev/null 2>&1; then
	# as git's completion calls it for `git embargo install --forge g<TAB>`
	expect "completion offers the forges" 0 bash -c '
		. "$1"; words=(git embargo install --forge g); cword=4
		_git_embargo; printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPL"
	contains "completion: gitlab" "gitlab"
	lacks "completion: only what matches" "plain"
	expect "completion offers the subcommands" 0 bash -c '
		. "$1"; COMP_WORDS=(git-embargo ins); COMP_CWORD=1
		_git_embargo_direct; printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPL"
	contains "completion: install" "install"
fi

if command -v man >/dev/null 2>&1; then
	expect "git help embargo opens the man page" 0 env \
		MANPATH="$DEST/opt/embargo/share/man" MANPAGER=cat PAGER=cat \
		MANWIDTH=80 git help -m embargo
	contains "man page names the tool" "keep embargoed security issues out of public git history"
	expect "git embargo --help opens it too" 0 env \
		MANPATH="$DEST/opt/embargo/share/man" MANPAGER=cat PAGER=cat \
		MANWIDTH=80 git embargo --help
	contains "--help shows the exit statuses" "EXIT STATUS"
else
	skip "git embargo --help opens the man page" "man is not installed (make deps installs man-db)"
fi

PATH="$DEST/opt/embargo/bin:$PATH" expect "installed binary runs as git embargo" \
	0 git embargo --version
contains "version line" "git-embargo "

expect "make uninstall" 0 make -s -C "$SRC" uninstall DESTDIR="$DEST" \
	PREFIX=/opt/embargo
[ ! -e "$DEST/opt/embargo/bin/git-embargo" ] && pass "uninstall removes the binary" ||
	fail "binary left after uninstall"
finish
