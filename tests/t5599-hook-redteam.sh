#!/bin/sh
# t5599-hook-redteam.sh - a hostile pusher against the server's
# pre-receive hook: pushes that try to get an embargoed identifier
# through, or to learn the list without leaving a trace.  Each scenario
# is an attack that once worked; real pushes into a bare repository.
. "$(dirname "$0")/t-hook-lib.sh"

git init -q --bare "$SCRATCH/srv.git"
git -C "$SCRATCH/srv.git" embargo install >/dev/null
git -C "$SCRATCH/srv.git" config embargo.auditLog "$SCRATCH/audit.log"
git -C "$SCRATCH/srv.git" config receive.advertisePushOptions true
git clone -q "file://$SCRATCH/srv.git" "$SCRATCH/dev" 2>/dev/null
printf '# Security\n\nReport vulnerabilities privately to <security@acme.org>.\n' \
	>"$SCRATCH/dev/SECURITY.md"
git -C "$SCRATCH/dev" add SECURITY.md
git -C "$SCRATCH/dev" commit -q -m "Add a security policy"
git -C "$SCRATCH/dev" push -q origin main 2>/dev/null

# A probe that also breaks SECURITY.md on the default branch is rejected
# for the policy, and its findings are shown: it is a blocked push all
# the same, and is recorded like any other.
scenario 'requirePolicy: a rejected push naming an embargoed id is still recorded' '
	git -C srv.git config embargo.requirePolicy true &&
	git -C dev rm -q SECURITY.md &&
	git -C dev commit -q -m "Fix CVE-2026-31337" &&
	! GL_USERNAME=mallory git -C dev push origin main 2>err &&
	has err "embargo.requirePolicy is set" &&
	has err "'\''CVE-2026-31337'\''" &&
	has err "this attempt is recorded as '\''mallory'\''" &&
	has audit.log "\"event\":\"embargo.blocked\"" &&
	has audit.log "\"pusher\":\"mallory\"" &&
	has audit.log "\"identifiers\":[\"CVE-2026-31337\"]" &&
	git -C dev reset -q --hard HEAD~1 &&
	git -C srv.git config --unset embargo.requirePolicy
'

# git log converts a message to UTF-8 from the encoding its header
# names: an identifier written in ISO-2022-JP (an escape sequence
# inside it) reads as plain ASCII on the server.
encoded_commit() {
	printf 'tree %s\nparent %s\nauthor A <a@b> 1700000000 +0000\ncommitter A <a@b> 1700000000 +0000\nencoding %s\n\n%b\n' \
		"$(git -C dev rev-parse HEAD^{tree})" "$(git -C dev rev-parse HEAD)" \
		"$1" "$2" |
	git -C dev hash-object -t commit -w --literally --stdin
}

scenario 'a message in a declared encoding is read as git log shows it' '
	c=$(encoded_commit ISO-2022-JP "Fix CVE\033(B-2026-31337") &&
	git -C dev log -1 --format=%s "$c" >shown &&
	has shown "Fix CVE-2026-31337" &&
	! git -C dev push origin "$c:refs/heads/main" 2>err &&
	has err "message line 1: '\''CVE-2026-31337'\''"
'

scenario 'near miss: a declared encoding that changes nothing, or is unknown, passes' '
	c=$(encoded_commit ISO-8859-1 "Fix the parser") &&
	git -C dev push -q origin "$c:refs/heads/latin1" 2>err &&
	c=$(encoded_commit NO-SUCH-CHARSET "Fix the lexer") &&
	git -C dev push -q origin "$c:refs/heads/unknown" 2>err
'

# An override names identifiers; another entry's pattern that happens
# to match inside the name given (`31337` in CVE-2026-31337) does not
# make that entry named too.
cat >"$SCRATCH/override.list" <<'LIST'
[embargo "CVE-2026-31337"]
	alias = Bleeding Heart
[embargo "CVE-2026-50000"]
	pattern = 31337
LIST

scenario 'an override does not cover another entry whose pattern matches the name given' '
	git -C srv.git config embargo.list "$SCRATCH/override.list" &&
	git -C srv.git config embargo.allowOverride true &&
	commit dev "Open port 31337 for the exploit" &&
	! GL_USERNAME=alice git -C dev push -o "embargo.override=CVE-2026-31337: vendor published" origin main 2>err &&
	has err "override refused: it does not name every embargoed identifier" &&
	has err "'\''31337'\''" &&
	test "$(rev srv.git main)" != "$(rev dev main)" &&
	GL_USERNAME=alice git -C dev push -q -o "embargo.override=CVE-2026-50000: vendor published" origin main 2>err &&
	test "$(rev srv.git main)" = "$(rev dev main)" &&
	tail -n 1 audit.log >record &&
	has record "\"event\":\"embargo.override\"" &&
	has record "\"identifiers\":[\"CVE-2026-50000\"]" &&
	git -C srv.git config --unset embargo.allowOverride &&
	git -C srv.git config --unset embargo.list
'

# The pusher sets push options (and, over ssh, LANG and LC_*): a
# pusherEnv naming one would let anyone claim a name in overrideUsers.
scenario 'embargo.pusherEnv naming a variable the pusher sets is a bad setting' '
	git -C srv.git config embargo.allowOverride true &&
	git -C srv.git config embargo.overrideUsers alice &&
	git -C srv.git config embargo.pusherEnv GIT_PUSH_OPTION_0 &&
	commit dev "Fix CVE-2026-31337" &&
	! git -C dev push -o alice -o "embargo.override=CVE-2026-31337: trust me" origin main 2>err &&
	hasnt err "override by" &&
	has err "the embargo settings of this server are broken" &&
	test "$(rev srv.git main)" != "$(rev dev main)" &&
	! git -C srv.git embargo list >out 2>&1 &&
	has out "bad embargo.pusherEnv '\''GIT_PUSH_OPTION_0'\'': the pusher sets that variable" &&
	git -C srv.git config embargo.pusherEnv LC_PUSHER &&
	! git -C dev push origin main 2>err &&
	has err "the embargo settings of this server are broken" &&
	git -C srv.git config embargo.pusherEnv EMBARGO_PUSHER &&
	! EMBARGO_PUSHER=mallory git -C dev push -o "embargo.override=CVE-2026-31337: trust me" origin main 2>err &&
	has err "'\''mallory'\'' is not one of the users who may override" &&
	git -C dev reset -q --hard HEAD~1 &&
	git -C srv.git config --unset embargo.pusherEnv &&
	git -C srv.git config --unset embargo.overrideUsers &&
	git -C srv.git config --unset embargo.allowOverride
'

finish
