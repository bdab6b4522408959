#!/bin/sh
# t5571-hook-pre-push.sh - the developer's hook: real `git push` from a
# clone with `git embargo install` to a public and a private bare
# repository (git's t/t5571-pre-push-hook.sh is the model).
. "$(dirname "$0")/t-hook-lib.sh"

Z40=0000000000000000000000000000000000000000
Z64=${Z40}000000000000000000000000

git init -q --bare "$SCRATCH/pub.git"
git init -q --bare "$SCRATCH/priv.git"
git init -q "$SCRATCH/dev"
git -C "$SCRATCH/dev" remote add origin "$SCRATCH/pub.git"
git -C "$SCRATCH/dev" remote add vault "file://$SCRATCH/priv.git"
commit "$SCRATCH/dev" "Initial import" >/dev/null
git -C "$SCRATCH/dev" push -q origin main

scenario 'install writes the pre-push hook of hooks/' '
	git -C dev embargo install >out &&
	has out "installed pre-push" &&
	installed dev/.git/hooks/pre-push pre-push
'

scenario 'a clean push is allowed, silently' '
	commit dev "Add parser tests" &&
	git -C dev push -q origin main 2>err &&
	hasnt err git-embargo &&
	test "$(rev pub.git main)" = "$(rev dev main)"
'

scenario 'a commit message naming an embargoed issue blocks the push' '
	commit dev "Fix heap overflow in parser (CVE-2026-31337)" &&
	short=$(git -C dev rev-parse --short=7 HEAD) &&
	! git -C dev push origin main 2>err &&
	has err "git-embargo: push to '\''origin'\'' blocked" &&
	has err "CVE-2026-31337  embargoed until 2026-12-31" &&
	has err "commit $short \"Fix heap overflow in parser (CVE-2026-31337)\": message line 1" &&
	has err "git rebase -i $(git -C dev rev-parse --short=12 HEAD~1)" &&
	has err "private remote" &&
	test "$(rev pub.git main)" = "$(rev dev main~1)"
'

scenario 'the hook itself exits 1 when blocking, 0 when allowed' '
	line="refs/heads/main $(rev dev main) refs/heads/main $(rev dev main~1)" &&
	(cd dev && echo "$line" | git embargo hook pre-push origin "$SCRATCH/pub.git" 2>/dev/null); test $? = 1 &&
	line="refs/heads/main $(rev dev main~1) refs/heads/main $(rev dev main~1)" &&
	(cd dev && echo "$line" | git embargo hook pre-push origin "$SCRATCH/pub.git")
'

scenario 'the same push to a private remote (embargo.private) is not scanned' '
	git -C dev config embargo.private "file://$SCRATCH/priv*" &&
	git -C dev push -q vault main 2>err &&
	hasnt err git-embargo &&
	test "$(rev priv.git main)" = "$(rev dev main)"
'

scenario 'remote.<name>.embargo = public wins over embargo.private' '
	git -C dev config remote.vault.embargo public &&
	commit dev "Harden CVE-2026-31337 fix" &&
	! git -C dev push vault main 2>err &&
	has err "push to '\''vault'\'' blocked" &&
	git -C dev config remote.vault.embargo private &&
	git -C dev config --unset-all embargo.private &&
	git -C dev push -q vault main 2>err &&
	hasnt err git-embargo
'

scenario 'a bad remote.<name>.embargo value aborts the push' '
	git -C dev config remote.vault.embargo sometimes &&
	! git -C dev push vault main 2>err &&
	has err "bad remote.vault.embargo" &&
	git -C dev config remote.vault.embargo private
'

scenario 'every stdin line is read: a dirty second ref blocks' '
	clean=$(rev dev main~2) dirty=$(rev dev main) &&
	printf "refs/heads/a %s refs/heads/a %s\nrefs/heads/b %s refs/heads/b %s\n" \
		"$clean" "$Z40" "$dirty" "$Z64" >in &&
	(cd dev && git embargo hook pre-push origin "$SCRATCH/pub.git" <../in 2>../err); test $? = 1 &&
	has err "message line 1"
'

git -C "$SCRATCH/dev" reset -q --hard origin/main

scenario 'an embargo that has ended does not block' '
	commit dev "Backport the fix for CVE-2025-1111" &&
	git -C dev push -q origin main 2>err &&
	hasnt err git-embargo
'

scenario 'a line added to a file blocks, naming the file and line' '
	commit dev "Update changelog" "Fixed: CVE-2026-31337 (parser)" &&
	! git -C dev push origin main 2>err &&
	has err "\"Update changelog\": file-" &&
	has err ":1 (added): Fixed: CVE-2026-31337 (parser)" &&
	git -C dev reset -q --hard origin/main
'

scenario 'a new branch: clean commits allowed, a dirty one blocked' '
	git -C dev checkout -q -b feature &&
	commit dev "Feature work" &&
	git -C dev push -q origin feature 2>err && hasnt err git-embargo &&
	commit dev "Feature: guard against CVE-2026-31337" &&
	! git -C dev push origin HEAD:refs/heads/feature2 2>err &&
	has err "Feature: guard against CVE-2026-31337" &&
	hasnt err "\"Feature work\"" &&
	test -z "$(rev pub.git feature2)" &&
	git -C dev checkout -q main
'

scenario 'a new branch on an old commit scans only its own commits' '
	git -C dev checkout -q -b maint main~2 &&
	commit dev "Maintenance fix" &&
	git -C dev push origin maint 2>err && hasnt err git-embargo &&
	commit dev "maint: CVE-2026-31337" &&
	! git -C dev push origin maint 2>err &&
	has err "maint: CVE-2026-31337" &&
	git -C dev checkout -q main
'

scenario 'deleting a branch is allowed, whatever its name' '
	git -C dev push -q --no-verify origin main:refs/heads/fix/CVE-2026-31337 &&
	git -C dev push -q origin :refs/heads/fix/CVE-2026-31337 2>err &&
	hasnt err git-embargo &&
	test -z "$(rev pub.git fix/CVE-2026-31337)"
'

scenario 'a branch name naming an issue blocks, even with no new commit' '
	! git -C dev push origin main:refs/heads/fix/CVE-2026-31337 2>err &&
	has err "ref refs/heads/fix/CVE-2026-31337" &&
	has err "under a name that" &&
	hasnt err "commit "
'

scenario 'force push: rewriting a leaked commit away is allowed' '
	git -C dev checkout -q -b topic main &&
	commit dev "Topic: CVE-2026-31337 reproducer" &&
	git -C dev push -q --no-verify origin topic &&
	git -C dev commit -q --amend -m "Topic: reproducer" &&
	git -C dev push -q --force origin topic 2>err &&
	hasnt err git-embargo
'

scenario 'force push: rewriting to add a reference is blocked' '
	git -C dev commit -q --amend -m "Topic: reproducer for CVE-2026-31337" &&
	! git -C dev push --force origin topic 2>err &&
	has err "Topic: reproducer for CVE-2026-31337" &&
	git -C dev checkout -q main
'

scenario 'a commit already on the remote is not reported again' '
	git -C dev checkout -q -b leaked main &&
	commit dev "Leaked: CVE-2026-31337" &&
	git -C dev push -q --no-verify origin leaked &&
	git -C dev push -q origin leaked:refs/heads/copy-of-leaked 2>err &&
	hasnt err git-embargo &&
	commit dev "Follow-up" &&
	git -C dev push -q origin leaked 2>err &&
	hasnt err git-embargo &&
	commit dev "Another follow-up" &&
	git -C dev push -q "$SCRATCH/pub.git" leaked 2>err &&
	hasnt err git-embargo &&
	git -C dev checkout -q main
'

scenario 'a remote tip missing locally (someone else pushed) is handled' '
	git clone -q pub.git other &&
	commit other "Someone else" &&
	git -C other push -q origin main &&
	commit dev "Mine, clean" &&
	git -C dev push -q --force origin main 2>err &&
	hasnt err git-embargo &&
	git -C other fetch -q && git -C other reset -q --hard origin/main &&
	commit other "Theirs again" && git -C other push -q origin main &&
	commit dev "Mine: CVE-2026-31337" &&
	! git -C dev push --force origin main 2>err &&
	has err "Mine: CVE-2026-31337" &&
	git -C dev reset -q --hard HEAD~1
'

git -C "$SCRATCH/dev" fetch -q origin
git -C "$SCRATCH/dev" reset -q --hard origin/main

scenario 'tags: a tag name naming an issue blocks' '
	git -C dev tag v1-CVE-2026-31337 &&
	! git -C dev push origin v1-CVE-2026-31337 2>err &&
	has err "tag v1-CVE-2026-31337"
'

scenario 'tags: an annotated tag message naming an issue blocks' '
	git -C dev tag -a -m "Release 2" -m "Fixes CVE-2026-31337" v2 &&
	! git -C dev push origin v2 2>err &&
	has err "tag v2 message line 3" &&
	has err "git tag -f -a <tag>" && hasnt err "git rebase" &&
	test -z "$(rev pub.git refs/tags/v2)"
'

scenario 'tags: a clean annotated tag, and the commits it brings, pass' '
	git -C dev checkout -q -b rel main &&
	commit dev "Release notes" &&
	git -C dev tag -a -m "Release 3" v3 &&
	git -C dev push -q origin v3 2>err &&
	hasnt err git-embargo &&
	commit dev "Release: CVE-2026-31337" &&
	git -C dev tag -a -m "Release 4" v4 &&
	! git -C dev push origin v4 2>err &&
	has err "Release: CVE-2026-31337" &&
	git -C dev checkout -q main
'

scenario 'several refs in one push, one dirty: nothing is pushed' '
	git -C dev branch a-clean main &&
	git -C dev checkout -q -b z-dirty main &&
	commit dev "z: CVE-2026-31337" &&
	git -C dev checkout -q a-clean &&
	commit dev "a: clean" &&
	! git -C dev push origin a-clean z-dirty 2>err &&
	has err "z: CVE-2026-31337" &&
	hasnt err "a: clean" &&
	test -z "$(rev pub.git a-clean)" && test -z "$(rev pub.git z-dirty)" &&
	git -C dev checkout -q main
'

scenario 'notes: local notes are not pushed with a branch, so not scanned' '
	commit dev "Annotated commit" &&
	git -C dev notes add -m "Triage: CVE-2026-31337" HEAD &&
	git -C dev push -q origin main 2>err &&
	hasnt err git-embargo
'

scenario 'notes: pushing the notes ref scans the notes' '
	short=$(git -C dev rev-parse --short=7 HEAD) &&
	! git -C dev push origin refs/notes/commits 2>err &&
	has err "commit $short \"Annotated commit\": note line 1: Triage: CVE-2026-31337" &&
	test -z "$(rev pub.git refs/notes/commits)"
'

scenario 'a broken embargo list aborts the push' '
	printf "[embargo \"CVE-2026-1\"]\n\tuntil = 2026-13-45\n" >bad.list &&
	commit dev "Clean" &&
	! GIT_EMBARGO_LIST=$SCRATCH/bad.list git -C dev push origin main 2>err &&
	has err "push aborted: cannot check it" &&
	has err "bad.list" &&
	git -C dev push -q origin main
'

scenario 'the hook refuses arguments git does not give' '
	(cd dev && git embargo hook pre-push </dev/null 2>../err); test $? = 2 &&
	has err "usage:" &&
	(cd dev && echo "garbage" | git embargo hook pre-push origin x 2>../err); test $? = 2 &&
	has err "bad hook input line 1"
'

scenario 'a pre-push timeout aborts with the reason' '
	commit dev "Clean again" &&
	! GIT_EMBARGO_TIMEOUT_MS=expired git -C dev push origin main 2>err &&
	has err "did not finish within embargo.timeout" &&
	git -C dev push -q origin main
'

# --- where the push really goes (the URL, not the remote's name) ---
git init -q --bare "$SCRATCH/up.git"
git init -q --bare "$SCRATCH/sec.git"
git clone -q "$SCRATCH/up.git" "$SCRATCH/w" 2>/dev/null
git -C "$SCRATCH/w" embargo install >/dev/null
commit "$SCRATCH/w" "Base" >/dev/null
git -C "$SCRATCH/w" push -q origin main
git -C "$SCRATCH/w" config embargo.private "$SCRATCH/sec*"

scenario 'a remote marked private with a public pushurl is public' '
	git -C w remote add vault "$SCRATCH/sec.git" &&
	git -C w config remote.vault.embargo private &&
	git -C w config remote.vault.pushurl "$SCRATCH/up.git" &&
	git -C w config --unset embargo.private &&
	commit w "Fix CVE-2026-31337 in the vault" &&
	! git -C w push vault HEAD:refs/heads/v 2>err &&
	has err "push to '\''vault'\'' blocked" &&
	has err "remote.vault.embargo marks the URL it fetches from private" &&
	test -z "$(rev up.git v)"
'

scenario 'near miss: a pushurl naming the marked URL another way is private' '
	git -C w config remote.vault.pushurl "file://$SCRATCH/./sec.git/" &&
	git -C w push -q vault HEAD:refs/heads/v 2>err &&
	hasnt err git-embargo &&
	test "$(rev sec.git v)" = "$(rev w HEAD)"
'

scenario 'several pushurls: public when any is, so no URL gets the push' '
	git -C w config --add remote.vault.pushurl "$SCRATCH/up.git" &&
	commit w "More on CVE-2026-31337" &&
	! git -C w push vault HEAD:refs/heads/v 2>err &&
	has err "push to '\''vault'\'' blocked" &&
	test "$(rev sec.git v)" = "$(rev w HEAD~1)" &&
	test -z "$(rev up.git v)"
'

scenario 'near miss: several pushurls, every one private, pass' '
	git -C w config --unset-all remote.vault.pushurl &&
	git -C w config --add remote.vault.pushurl "$SCRATCH/sec.git" &&
	git -C w config embargo.private "$SCRATCH/sec2*" &&
	git init -q --bare sec2.git &&
	git -C w config --add remote.vault.pushurl "$SCRATCH/sec2.git" &&
	git -C w push -q vault HEAD:refs/heads/v 2>err &&
	hasnt err git-embargo &&
	test "$(rev sec2.git v)" = "$(rev w HEAD)" &&
	git -C w config --unset-all remote.vault.pushurl
'

scenario 'triangular: fetched from a private URL, pushed to a public one' '
	git -C w fetch -q vault &&
	test "$(rev w refs/remotes/vault/v)" = "$(rev w HEAD)" &&
	git -C w config "url.$SCRATCH/up.git.pushInsteadOf" "$SCRATCH/sec.git" &&
	! git -C w push vault HEAD:refs/heads/t 2>err &&
	has err "More on CVE-2026-31337" &&
	has err "Fix CVE-2026-31337 in the vault" &&
	test -z "$(rev up.git t)" &&
	git -C w config --unset "url.$SCRATCH/up.git.pushInsteadOf"
'

scenario 'remote "acme" beside "acme/security": the latter'\''s refs are not the former'\''s' '
	git -C w remote add acme/security "$SCRATCH/sec.git" &&
	git -C w config remote.acme/security.embargo private &&
	git -C w remote add acme "$SCRATCH/up.git" &&
	git -C w fetch -q acme/security &&
	test "$(rev w refs/remotes/acme/security/v)" = "$(rev w HEAD)" &&
	git -C w fetch -q acme &&
	! git -C w push acme HEAD:refs/heads/fixes 2>err &&
	has err "push to '\''acme'\'' blocked" &&
	has err "More on CVE-2026-31337" &&
	test -z "$(rev up.git fixes)"
'

scenario 'near miss: "acme-other" beside "acme" keeps its own tracking refs' '
	git -C w remote add acme-other "$SCRATCH/up.git" &&
	git -C w checkout -q -b other main &&
	commit w "Other: CVE-2026-31337" &&
	git -C w push -q --no-verify acme-other other &&
	git -C w fetch -q acme-other &&
	commit w "Other: clean follow-up" &&
	git -C w push -q acme-other other 2>err &&
	hasnt err git-embargo &&
	test "$(rev up.git other)" = "$(rev w other)" &&
	git -C w checkout -q main
'

scenario 'a mirror refspec (+refs/*:refs/*) does not make local branches the remote'\''s' '
	git -C w remote add mir "$SCRATCH/up.git" &&
	git -C w config remote.mir.fetch "+refs/*:refs/*" &&
	git -C w checkout -q -b local-only main &&
	commit w "Local only: CVE-2026-31337" &&
	git -C w checkout -q main &&
	! git -C w push mir local-only:refs/heads/lo 2>err &&
	has err "Local only: CVE-2026-31337" &&
	test -z "$(rev up.git lo)"
'

# An ssh "server" for host "forge": git's own ssh transport, the
# repositories under srv/ (sec/ a private organisation, up.git public).
mkdir -p "$SCRATCH/srv/sec" "$SCRATCH/srv/x"
ln -s "$SCRATCH/up.git" "$SCRATCH/srv/up.git"
printf '#!/bin/sh\nfor last; do :; done\ncd "%s/srv" && exec sh -c "$last"\n' \
	"$SCRATCH" >"$SCRATCH/fake-ssh"
chmod +x "$SCRATCH/fake-ssh"

scenario 'a URL with ".." out of a private path is judged where it lands' '
	git -C w config embargo.private "git@forge:sec/*" &&
	git -C w remote add sneaky "git@forge:sec/../up.git" &&
	! GIT_SSH_COMMAND="$SCRATCH/fake-ssh" git -C w -c ssh.variant=simple \
		push sneaky HEAD:refs/heads/sneaky 2>err &&
	has err "push to '\''sneaky'\'' blocked" &&
	test -z "$(rev up.git sneaky)"
'

scenario 'near miss: ".." into the private path is private' '
	git -C w remote add inside "git@forge:x/../sec/s.git" &&
	git init -q --bare srv/sec/s.git &&
	GIT_SSH_COMMAND="$SCRATCH/fake-ssh" git -C w -c ssh.variant=simple \
		push -q inside HEAD:refs/heads/s 2>err &&
	hasnt err git-embargo &&
	test "$(rev srv/sec/s.git s)" = "$(rev w HEAD)"
'

finish
