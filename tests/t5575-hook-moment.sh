#!/bin/sh
# t5575-hook-moment.sh - embargoes end at a moment: `until` with a time
# and a zone (Z or an offset), a date alone meaning the start of that
# day in UTC; GIT_EMBARGO_NOW takes a moment too.  Real pushes into a
# bare repository with pre-receive, one second before and at the moment.
. "$(dirname "$0")/t-hook-lib.sh"

cat >>"$LIST" <<'EOF2'
[embargo "CVE-2026-5000"]
	until = 2026-06-01T14:00:00Z
[embargo "CVE-2026-5001"]
	until = 2026-06-01T16:00:00+02:00
EOF2

git init -q --bare "$SCRATCH/srv.git"
git -C "$SCRATCH/srv.git" embargo install >/dev/null
# the moments are the list's side: a server shows them where it may
git -C "$SCRATCH/srv.git" config embargo.revealIds true
git init -q "$SCRATCH/dev"
commit "$SCRATCH/dev" "Initial import" >/dev/null
git -C "$SCRATCH/dev" push -q "$SCRATCH/srv.git" main

scenario 'list shows each moment, and says it lifts then' '
	GIT_EMBARGO_NOW=2026-06-01T13:00:00Z git embargo list >out &&
	has out "active   2026-06-01T14:00Z CVE-2026-5000" &&
	has out "active   2026-06-01T14:00Z CVE-2026-5001" &&
	has out "active   2026-12-31   CVE-2026-31337" &&
	has out "an embargo lifts at the moment shown (a date alone: 00:00 UTC that day)"
'

scenario 'one second before the moment: rejected, naming the moment' '
	commit dev "Fix the parser (CVE-2026-5000)" &&
	! GIT_EMBARGO_NOW=2026-06-01T13:59:59Z git -C dev push --no-verify "$SCRATCH/srv.git" main 2>err &&
	has err "CVE-2026-5000  embargoed until 2026-06-01T14:00Z, when it lifts" &&
	test "$(rev srv.git main)" = "$(rev dev main~1)"
'

scenario 'the same moment written with an offset is the same' '
	commit dev "Fix the lexer (CVE-2026-5001)" &&
	! GIT_EMBARGO_NOW=2026-06-01T15:59:59+02:00 git -C dev push --no-verify "$SCRATCH/srv.git" main 2>err &&
	has err "CVE-2026-5001  embargoed until 2026-06-01T14:00Z, when it lifts"
'

scenario 'at the moment: lifted, the push lands' '
	GIT_EMBARGO_NOW=2026-06-01T14:00:00Z git -C dev push -q --no-verify "$SCRATCH/srv.git" main 2>err &&
	hasnt err git-embargo &&
	test "$(rev srv.git main)" = "$(rev dev main)" &&
	GIT_EMBARGO_NOW=2026-06-01T14:00:00Z git embargo list 2>&1 >out | cat &&
	has out "lifted   2026-06-01T14:00Z CVE-2026-5000"
'

scenario 'a date alone lifts at the start of that day, UTC' '
	commit dev "Fix it all (CVE-2026-31337)" &&
	! GIT_EMBARGO_NOW=2026-12-30T23:59:59Z git -C dev push --no-verify "$SCRATCH/srv.git" main 2>err &&
	has err "CVE-2026-31337  embargoed until 2026-12-31 00:00 UTC, when it lifts" &&
	GIT_EMBARGO_NOW=2026-12-31T00:00:00Z git -C dev push -q --no-verify "$SCRATCH/srv.git" main
'

scenario 'a time without a zone is refused, as is a bad GIT_EMBARGO_NOW' '
	printf "[embargo \"CVE-2026-6000\"]\n\tuntil = 2026-06-01T14:00\n" >bad.list &&
	git embargo list --list bad.list 2>err; test $? = 2 &&
	has err "bad date '\''2026-06-01T14:00'\'' for CVE-2026-6000.until" &&
	GIT_EMBARGO_NOW=tomorrow git embargo list 2>err; test $? = 2 &&
	has err "bad GIT_EMBARGO_NOW '\''tomorrow'\''"
'

finish
