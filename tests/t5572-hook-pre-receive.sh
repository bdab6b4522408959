#!/bin/sh
# t5572-hook-pre-receive.sh - the server's hooks: a bare repository with
# `git embargo install` (pre-receive) receiving real pushes over file://
# and, where git-daemon is installed, git:// on 127.0.0.1; and one with
# the update hook, which decides per ref.
. "$(dirname "$0")/t-hook-lib.sh"

server_and_dev

# no objects left behind in the quarantine, none of the rejected ones
no_quarantine_left() {
	test -z "$(find "$SCRATCH/srv.git/objects" -maxdepth 1 -name 'tmp_objdir-*' -o -maxdepth 1 -name 'incoming-*')"
}

scenario 'install in a bare repository writes the pre-receive hook' '
	test -x srv.git/hooks/pre-receive &&
	installed srv.git/hooks/pre-receive pre-receive &&
	test "$(rev srv.git main)" = "$(rev dev main)"
'

scenario 'a clean push lands, silently' '
	commit dev "Add tests" &&
	git -C dev push -q origin main 2>err &&
	hasnt err git-embargo &&
	test "$(rev srv.git main)" = "$(rev dev main)"
'

scenario 'a dirty push is rejected with remote: lines naming it' '
	commit dev "Fix overflow (CVE-2026-31337)" &&
	dirty=$(rev dev HEAD) short=$(git -C dev rev-parse --short=7 HEAD) &&
	! git -C dev push origin main 2>err &&
	has err "remote: git-embargo: push rejected: it would publish references to embargoed security issues" &&
	has err "remote:     commit $short \"Fix overflow (CVE-2026-31337)\": message line 1: '\''CVE-2026-31337'\''" &&
	hasnt err "embargoed until" &&
	has err "remote:   - reword the commits to remove the references" &&
	has err "pre-receive hook declined" &&
	test "$(rev srv.git main)" = "$(rev dev main~1)" &&
	git -C srv.git config embargo.revealIds true &&
	! git -C dev push origin main 2>err &&
	has err "remote:     CVE-2026-31337  embargoed until 2026-12-31" &&
	has err "remote:         commit $short \"Fix overflow (CVE-2026-31337)\": message line 1" &&
	has err "at the moment shown" &&
	git -C srv.git config --unset embargo.revealIds
'

scenario 'quarantine: the rejected objects did not land, refs unchanged' '
	dirty=$(rev dev HEAD) &&
	! git -C srv.git cat-file -e "$dirty" 2>/dev/null &&
	no_quarantine_left &&
	git -C srv.git for-each-ref --format="%(refname)" >refs &&
	test "$(cat refs)" = "refs/heads/main"
'

scenario 'a dirty commit in a new branch is rejected; deletion is allowed' '
	! git -C dev push origin HEAD:refs/heads/feature 2>err &&
	has err "remote: git-embargo: push rejected" &&
	test -z "$(rev srv.git feature)" &&
	git -C dev push -q origin main~1:refs/heads/old-branch &&
	git -C dev push -q origin :refs/heads/old-branch 2>err &&
	hasnt err git-embargo &&
	test -z "$(rev srv.git old-branch)"
'

git -C "$SCRATCH/dev" reset -q --hard HEAD~1

scenario 'a ref name naming an issue is rejected, even with no new commit' '
	! git -C dev push origin main:refs/heads/fix/CVE-2026-31337 2>err &&
	has err "remote:     ref refs/heads/fix/CVE-2026-31337: '\''CVE-2026-31337'\''" &&
	test -z "$(rev srv.git fix/CVE-2026-31337)"
'

scenario 'several refs, one dirty: the whole push is rejected' '
	git -C dev branch a-clean main &&
	git -C dev checkout -q -b z-dirty main &&
	commit dev "z: CVE-2026-31337" &&
	git -C dev checkout -q a-clean && commit dev "a: clean" &&
	! git -C dev push origin a-clean z-dirty 2>err &&
	has err "z: CVE-2026-31337" && hasnt err "a: clean" &&
	test -z "$(rev srv.git a-clean)" && test -z "$(rev srv.git z-dirty)" &&
	git -C dev checkout -q main
'

scenario 'an annotated tag whose message names an issue is rejected' '
	git -C dev tag -a -m "v1" -m "Fixes CVE-2026-31337" v1 main &&
	! git -C dev push origin v1 2>err &&
	has err "remote:     tag v1 message line 3: '\''CVE-2026-31337'\''" &&
	test -z "$(rev srv.git refs/tags/v1)"
'

scenario 'a commit the server already has is not reported again' '
	git -C dev checkout -q -b leaked main &&
	commit dev "Leaked: CVE-2026-31337" &&
	git -C srv.git config embargo.public false &&
	git -C dev push -q origin leaked 2>err && hasnt err git-embargo &&
	git -C srv.git config --unset embargo.public &&
	git -C dev push -q origin leaked:refs/heads/copy 2>err &&
	hasnt err git-embargo &&
	commit dev "Follow-up, clean" &&
	git -C dev push -q origin leaked 2>err &&
	hasnt err git-embargo &&
	git -C dev checkout -q main
'

scenario 'notes pushed to the server are scanned as notes' '
	git -C dev notes add -m "Triage: CVE-2026-31337" main &&
	! git -C dev push origin refs/notes/commits 2>err &&
	has err "note line 1: '\''CVE-2026-31337'\''" &&
	git -C dev notes remove main 2>/dev/null
'

scenario 'fail closed: a broken embargo list rejects every push' '
	printf "[embargo \"CVE-2026-1\"]\n\tuntil = 2026-13-45\n" >bad.list &&
	git -C srv.git config embargo.list "$SCRATCH/bad.list" &&
	commit dev "Clean change" &&
	! git -C dev push origin main 2>err &&
	has err "remote: git-embargo: push rejected: cannot check it" &&
	hasnt err "bad.list" && hasnt err "2026-13-45" &&
	has err "the embargo settings of this server are broken" &&
	git -C srv.git embargo list >out 2>&1; has out "bad.list" &&
	git -C srv.git config embargo.revealIds true &&
	! git -C dev push origin main 2>err &&
	has err "bad.list" &&
	git -C srv.git config --unset embargo.revealIds &&
	has err "tell the administrators" &&
	test "$(rev srv.git main)" = "$(rev dev main~1)"
'

scenario 'fail closed: a missing embargo list rejects every push' '
	git -C srv.git config embargo.list "$SCRATCH/no-such.list" &&
	! git -C dev push origin main 2>err &&
	has err "push rejected: cannot check it" &&
	hasnt err "no-such.list"
'

scenario 'fail closed: an empty or truncated list rejects every push' '
	: >empty.list &&
	git -C srv.git config embargo.list "$SCRATCH/empty.list" &&
	git -C srv.git config embargo.revealIds true &&
	! git -C dev push origin main 2>err &&
	has err "push rejected: cannot check it" &&
	has err "no entries" &&
	printf "# embargo list, synced nightly\n[embargo \"CVE-2026-3" >empty.list &&
	! git -C dev push origin main 2>err &&
	has err "push rejected: cannot check it" &&
	printf "# embargo list, synced nightly\n" >empty.list &&
	! git -C dev push origin main 2>err &&
	has err "no entries" &&
	git -C srv.git config --unset embargo.revealIds &&
	test "$(rev srv.git main)" = "$(rev dev main~1)"
'

scenario 'near miss: a list whose embargoes have all ended lets pushes pass' '
	printf "[embargo \"CVE-2025-1111\"]\n\tuntil = 2026-03-01\n" >lifted.list &&
	git config --global embargo.list "$SCRATCH/lifted.list" &&
	git -C srv.git config --unset embargo.list &&
	git -C srv.git embargo list >out 2>&1 &&
	has out "1 entries, 0 in force" &&
	has out "every embargo on the list has been lifted" &&
	commit dev "Backport the CVE-2025-1111 fix" &&
	git -C dev push -q origin main 2>err &&
	git config --global embargo.list "$LIST" &&
	hasnt err git-embargo &&
	test "$(rev srv.git main)" = "$(rev dev main)" &&
	git -C srv.git embargo list >out 2>&1 &&
	hasnt out "has been lifted" &&
	git -C srv.git config embargo.list "$SCRATCH/lifted.list" &&
	commit dev "Clean change, again"
'

scenario 'fail closed: a bad setting rejects every push' '
	git -C srv.git config --unset embargo.list &&
	git -C srv.git config embargo.public maybe &&
	! git -C dev push origin main 2>err &&
	has err "bad embargo.public" &&
	git -C srv.git config --unset embargo.public &&
	git -C dev push -q origin main 2>err && hasnt err git-embargo
'

scenario 'fail closed: running out of time rejects, saying so' '
	commit dev "More clean work" &&
	! GIT_EMBARGO_TIMEOUT_MS=expired git -C dev push origin main 2>err &&
	has err "remote: git-embargo: push rejected: the check did not finish within embargo.timeout" &&
	has err "nothing is let through unchecked" &&
	test "$(rev srv.git main)" = "$(rev dev main~1)"
'

scenario 'fail closed: an error reading objects rejects' '
	git -C srv.git config embargo.timeout 4 &&
	(cd srv.git && echo "0000000000000000000000000000000000000000 1111111111111111111111111111111111111111 refs/heads/x" |
		git embargo hook pre-receive 2>../err); test $? = 3 &&
	has err "push rejected: cannot check it: cannot read 1111111111111111111111111111111111111111" &&
	(cd srv.git && echo "garbage" | git embargo hook pre-receive 2>../err); test $? = 2 &&
	has err "push rejected"
'

git -C "$SCRATCH/dev" push -q origin main 2>/dev/null
git -C "$SCRATCH/dev" checkout -q -b secret main
commit "$SCRATCH/dev" "Secret: CVE-2026-31337" >/dev/null

scenario 'override refused where embargo.allowOverride is not set' '
	git -C srv.git config receive.advertisePushOptions true &&
	! git -C dev push -o "embargo.override=CVE-2026-31337: Disclosure moved up" origin secret 2>err &&
	has err "override refused: this repository does not allow overrides" &&
	has err "CVE-2026-31337" &&
	test ! -e audit.log && test -z "$(rev srv.git secret)"
'

scenario 'override refused without identifiers, a reason, or an audit log' '
	git -C srv.git config embargo.allowOverride true &&
	! git -C dev push -o embargo.override= origin secret 2>err &&
	has err "override refused: name the identifiers it is for" &&
	! git -C dev push -o "embargo.override=Disclosure moved up" origin secret 2>err &&
	has err "override refused: name the identifiers it is for" &&
	has err "git push --no-verify -o embargo.override=\"<identifier>: <reason>\"" &&
	! git -C dev push -o "embargo.override=CVE-2026-31337:" origin secret 2>err &&
	has err "an override needs a reason" &&
	! git -C dev push -o "embargo.override=CVE-2026-31337: Disclosure moved up" origin secret 2>err &&
	has err "embargo.auditLog is not set" &&
	test ! -e audit.log && test -z "$(rev srv.git secret)"
'

scenario 'a rejection says how to override, past the pre-push hook too' '
	! git -C dev push origin secret 2>err &&
	has err "git push --no-verify -o embargo.override=\"<identifier>: <reason>\"" &&
	has err "--no-verify gets it past your own pre-push hook" &&
	has err "recorded" &&
	git -C srv.git config embargo.auditLog "$SCRATCH/audit.log"
'

scenario 'a blocked push is recorded: who tried to push what, where' '
	GL_USERNAME=mallory GL_PROJECT_PATH=acme/widget \
		git -C dev push origin secret 2>err; test $? != 0 &&
	has err "recorded" && has err "as '\''mallory'\'' pushing to '\''acme/widget'\''" &&
	test "$(wc -l <audit.log)" -eq 1 &&
	has audit.log "\"event\":\"embargo.blocked\"" &&
	has audit.log "\"pusher\":\"mallory\"" &&
	has audit.log "\"repository\":\"acme/widget\"" &&
	has audit.log "\"identifiers\":[\"CVE-2026-31337\"]" &&
	hasnt audit.log "\"reason\"" &&
	rm audit.log
'

scenario 'an override naming another identifier does not let this one through' '
	! git -C dev push -o "embargo.override=CVE-2025-9999: Disclosure moved up" origin secret 2>err &&
	has err "override refused: it does not name every embargoed identifier" &&
	has err "Secret: CVE-2026-31337" &&
	has audit.log "\"event\":\"embargo.blocked\"" &&
	has audit.log "\"reason\":\"Disclosure moved up\"" &&
	test -z "$(rev srv.git secret)" && rm audit.log
'

scenario 'override allowed: the push lands and one JSON line is appended' '
	sha=$(rev dev secret) &&
	GL_USERNAME=alice git -C dev push -q -o "embargo.override=CVE-2026-31337: Disclosure moved up" origin secret 2>err &&
	has err "override by '\''alice'\'' accepted and recorded: Disclosure moved up" &&
	test "$(rev srv.git secret)" = "$sha" &&
	test "$(wc -l <audit.log)" -eq 1 &&
	has audit.log "\"event\":\"embargo.override\"" &&
	has audit.log "\"pusher\":\"alice\"" &&
	has audit.log "\"refs\":[{\"ref\":\"refs/heads/secret\",\"old\":null,\"new\":\"$sha\"}]" &&
	has audit.log "\"repository\":\"$SCRATCH/srv.git\"," &&
	has audit.log "\"commits\":[\"$sha\"]" &&
	has audit.log "\"identifiers\":[\"CVE-2026-31337\"]" &&
	has audit.log "\"reason\":\"Disclosure moved up\"" &&
	grep -E "^\{\"time\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\"" audit.log
'

git -C "$SCRATCH/dev" checkout -q -b two main
commit "$SCRATCH/dev" "One: CVE-2026-31337" >/dev/null
commit "$SCRATCH/dev" "Two: heap overflow of SEC-7" >/dev/null

scenario 'an override lets through only the identifiers it names' '
	printf "[embargo \"SEC-7\"]\n\tuntil = 2026-12-31\n" >>"$LIST" &&
	rm -f audit.log &&
	! git -C dev push -o "embargo.override=CVE-2026-31337: vendor published" origin two 2>err &&
	has err "override refused: it does not name every embargoed identifier" &&
	has err "Two: heap overflow of SEC-7" && hasnt err "One: CVE-2026-31337" &&
	test -z "$(rev srv.git two)" &&
	GL_USERNAME=alice git -C dev push -q -o "embargo.override=CVE-2026-31337, SEC-7: vendor published" origin two 2>err &&
	test "$(rev srv.git two)" = "$(rev dev two)" &&
	grep "embargo.override" audit.log >granted &&
	has granted "\"pusher\":\"alice\"" &&
	has granted "\"SEC-7\"" && has granted "\"CVE-2026-31337\""
'

git -C "$SCRATCH/dev" checkout -q -b three main
commit "$SCRATCH/dev" "Three: CVE-2026-31337" >/dev/null

scenario 'embargo.overrideUsers: only those named may override' '
	git -C srv.git config embargo.overrideUsers "alice, bob" &&
	! GL_USERNAME=mallory git -C dev push -o "embargo.override=CVE-2026-31337: trust me" origin three 2>err &&
	has err "override refused: '\''mallory'\'' is not one of the users who may override here" &&
	test -z "$(rev srv.git three)" &&
	GL_USERNAME=bob git -C dev push -q -o "embargo.override=CVE-2026-31337: approved" origin three &&
	test "$(rev srv.git three)" = "$(rev dev three)" &&
	git -C srv.git config --unset embargo.overrideUsers
'

git -C "$SCRATCH/dev" checkout -q main

# embargo.requirePolicy: the default branch must keep a valid SECURITY.md
git init -q --bare "$SCRATCH/pol.git"
git -C "$SCRATCH/pol.git" embargo install >/dev/null
git -C "$SCRATCH/pol.git" config embargo.requirePolicy true
git clone -q "file://$SCRATCH/pol.git" "$SCRATCH/pold" 2>/dev/null
printf '# Security\n\nReport vulnerabilities privately to <security@acme.org>.\n' \
	>"$SCRATCH/pold/SECURITY.md"
git -C "$SCRATCH/pold" add SECURITY.md
git -C "$SCRATCH/pold" commit -q -m "Add a security policy"

scenario 'requirePolicy: a default branch with a good SECURITY.md lands' '
	git -C pold push -q origin main 2>err &&
	hasnt err git-embargo &&
	test "$(rev pol.git main)" = "$(rev pold main)"
'

scenario 'requirePolicy: deleting SECURITY.md on the default branch is rejected' '
	git -C pold rm -q SECURITY.md &&
	git -C pold commit -q -m "Remove the policy" &&
	! git -C pold push origin main 2>err &&
	has err "remote: git-embargo: push rejected: '"'"'refs/heads/main'"'"' is the default branch and embargo.requirePolicy is set" &&
	has err "[missing]" &&
	test "$(rev pol.git main)" = "$(rev pold main~1)"
'

scenario 'requirePolicy: emptying it is rejected too, with the reason' '
	git -C pold reset -q --hard HEAD~1 &&
	printf "# Security\n" >pold/SECURITY.md &&
	git -C pold commit -q -am "Empty the policy" &&
	! git -C pold push origin main 2>err &&
	has err "[empty]" &&
	test "$(rev pol.git main)" = "$(rev pold main~1)"
'

scenario 'requirePolicy: other branches are not judged' '
	git -C pold push -q origin main:refs/heads/topic 2>err &&
	hasnt err git-embargo &&
	test "$(rev pol.git topic)" = "$(rev pold main)"
'

scenario 'requirePolicy: a bad value fails closed' '
	git -C pol.git config embargo.requirePolicy maybe &&
	git -C pold reset -q --hard HEAD~1 &&
	commit pold "Unrelated change" &&
	! git -C pold push origin main 2>err &&
	has err "bad embargo.requirePolicy" &&
	git -C pol.git config embargo.requirePolicy true
'

scenario 'install --update: pre-receive comes too, and rejects first' '
	git init -q --bare upd.git &&
	git -C upd.git embargo install --update >out 2>err &&
	has out "installed pre-receive" && has out "installed update" &&
	has err "a commit it rejects stays fetchable by its id" &&
	installed upd.git/hooks/update update &&
	installed upd.git/hooks/pre-receive pre-receive &&
	has upd.git/hooks/update "stays fetchable by its id" &&
	git -C dev push -q --no-verify "file://$SCRATCH/upd.git" a-clean~1:refs/heads/base &&
	! git -C dev push "file://$SCRATCH/upd.git" a-clean z-dirty 2>err &&
	has err "remote: git-embargo: push rejected" &&
	test -z "$(rev upd.git a-clean)" && test -z "$(rev upd.git z-dirty)" &&
	! git -C upd.git cat-file -e "$(rev dev z-dirty)" 2>/dev/null
'

scenario 'update hook alone: each ref decided, the rejected commit stays in' '
	git embargo uninstall --server upd.git >out && has out "removed pre-receive" &&
	! git -C dev push "file://$SCRATCH/upd.git" a-clean z-dirty 2>err &&
	has err "remote: git-embargo: '\''refs/heads/z-dirty'\'' rejected" &&
	has err "z-dirty (hook declined)" &&
	test "$(rev upd.git a-clean)" = "$(rev dev a-clean)" &&
	test -z "$(rev upd.git z-dirty)" &&
	git -C upd.git cat-file -e "$(rev dev z-dirty)"
'

daemon=$(git --exec-path)/git-daemon
if [ -x "$daemon" ]; then
	# a free port on 127.0.0.1
	start_git_daemon --base-path="$SCRATCH" --export-all \
		--enable=receive-pack "$SCRATCH"
	port=$DAEMON_PORT
	if [ -n "$DAEMON_PID" ]; then
		scenario 'git://: a dirty push is rejected, a clean one lands' '
			git -C dev checkout -q main &&
			commit dev "Over git://: CVE-2026-31337" &&
			! git -C dev push "git://127.0.0.1:$port/srv.git" main 2>err &&
			has err "remote: git-embargo: push rejected" &&
			has err "Over git://: CVE-2026-31337" &&
			! git -C srv.git cat-file -e "$(rev dev main)" 2>/dev/null &&
			git -C dev reset -q --hard HEAD~1 &&
			commit dev "Over git://, clean" &&
			git -C dev push -q "git://127.0.0.1:$port/srv.git" main 2>err &&
			hasnt err git-embargo &&
			test "$(rev srv.git main)" = "$(rev dev main)"
		'
	else
		fail "git daemon did not start on 127.0.0.1: $(cat "$SCRATCH/daemon.log")"
	fi
else
	skip "git://: a dirty push is rejected" "git-daemon is not installed ($daemon)"
fi

finish
