#!/bin/sh
# t5599-hook-redteam.sh - a hostile pusher against the server's
# pre-receive hook: pushes that try to get an embargoed identifier
# through, or to learn the list without leaving a trace.  Each scenario
# is an attack that once worked; real pushes into a bare repository.
. "$(dirname "$0")/t-hook-lib.sh"

git init -q --bare "$TRASH/srv.git"
git -C "$TRASH/srv.git" embargo install >/dev/null
git -C "$TRASH/srv.git" config embargo.auditLog "$TRASH/audit.log"
git -C "$TRASH/srv.git" config receive.advertisePushOptions true
git clone -q "file://$TRASH/srv.git" "$TRASH/dev" 2>/dev/null
printf '# Security\n\nReport vulnerabilities privately to <security@acme.org>.\n' \
	>"$TRASH/dev/SECURITY.md"
git -C "$TRASH/dev" add SECURITY.md
git -C "$TRASH/dev" commit -q -m "Add a security policy"
git -C "$TRASH/dev" push -q origin main 2>/dev/null

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

finish
