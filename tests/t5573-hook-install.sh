#!/bin/sh
# t5573-hook-install.sh - `git embargo install` and `uninstall`: where
# the hooks go (core.hooksPath), chaining an existing hook (both run on
# the same input, either blocks), --force, and uninstall taking out only
# what install put in.  Also the pre-commit framework adapter.
. "$(dirname "$0")/t-hook-lib.sh"

git init -q --bare "$SCRATCH/pub.git"
git init -q "$SCRATCH/dev"
git -C "$SCRATCH/dev" remote add origin "$SCRATCH/pub.git"
commit "$SCRATCH/dev" "Initial import" >/dev/null
git -C "$SCRATCH/dev" push -q origin main

# A hook of the user's own: records its input, blocks when told to.
cat >"$SCRATCH/own-hook" <<'EOF'
#!/bin/sh
cat >"$HOME/own-hook.input"
echo "own hook ran for $1" >&2
test ! -e "$HOME/own-hook.block"
EOF
chmod +x "$SCRATCH/own-hook"

scenario 'install --pre-push writes the script, and again is harmless' '
	git -C dev embargo install --pre-push >out &&
	has out "installed pre-push in '\''$SCRATCH/dev/.git/hooks'\''" &&
	git -C dev embargo install >out &&
	has out "updated pre-push" &&
	installed dev/.git/hooks/pre-push pre-push &&
	test ! -e dev/.git/hooks/pre-push.embargo-chained
'

scenario 'uninstall removes it' '
	git -C dev embargo uninstall >out &&
	has out "removed pre-push" &&
	test ! -e dev/.git/hooks/pre-push
'

scenario 'an existing hook is chained, not clobbered' '
	cp own-hook dev/.git/hooks/pre-push &&
	git -C dev embargo install >out &&
	has out "the existing hook is kept as pre-push.embargo-chained" &&
	cmp own-hook dev/.git/hooks/pre-push.embargo-chained &&
	installed dev/.git/hooks/pre-push pre-push
'

scenario 'chained: both hooks run on the same input' '
	commit dev "Clean work" &&
	git -C dev push -q origin main 2>err &&
	has err "own hook ran for origin" &&
	test "$(cat home/own-hook.input)" = "refs/heads/main $(rev dev main) refs/heads/main $(rev dev main~1)" &&
	test "$(rev pub.git main)" = "$(rev dev main)"
'

scenario 'chained: git-embargo blocks although the other hook allows' '
	commit dev "Work on CVE-2026-31337" &&
	! git -C dev push origin main 2>err &&
	has err "own hook ran for origin" &&
	has err "push to '\''origin'\'' blocked" &&
	git -C dev reset -q --hard HEAD~1
'

scenario 'chained: the other hook blocks although git-embargo allows' '
	touch home/own-hook.block &&
	commit dev "Clean again" &&
	! git -C dev push origin main 2>err &&
	has err "own hook ran for origin" &&
	hasnt err git-embargo &&
	rm home/own-hook.block &&
	git -C dev push -q origin main
'

scenario 'install again keeps the chain; uninstall puts the hook back' '
	git -C dev embargo install >out && has out "updated pre-push" &&
	grep -q embargo-chained dev/.git/hooks/pre-push &&
	git -C dev embargo uninstall >out &&
	has out "the hook it chained is back in place" &&
	cmp own-hook dev/.git/hooks/pre-push &&
	test ! -e dev/.git/hooks/pre-push.embargo-chained
'

scenario 'uninstall leaves a hook it did not write alone' '
	git -C dev embargo uninstall >out &&
	has out "left pre-push" &&
	cmp own-hook dev/.git/hooks/pre-push
'

scenario 'install --force replaces an existing hook' '
	git -C dev embargo install --force >out &&
	has out "replaced the existing pre-push" &&
	installed dev/.git/hooks/pre-push pre-push &&
	test ! -e dev/.git/hooks/pre-push.embargo-chained &&
	git -C dev embargo uninstall >/dev/null
'

scenario 'a kept hook from an earlier install is never overwritten' '
	cp own-hook dev/.git/hooks/pre-push &&
	cp own-hook dev/.git/hooks/pre-push.embargo-chained &&
	! git -C dev embargo install 2>err &&
	has err "is kept from an earlier install" &&
	cmp own-hook dev/.git/hooks/pre-push &&
	rm dev/.git/hooks/pre-push dev/.git/hooks/pre-push.embargo-chained
'

scenario 'core.hooksPath (relative to the work tree) is honoured' '
	git -C dev config core.hooksPath .githooks &&
	git -C dev embargo install >out &&
	has out "'\''$SCRATCH/dev/.githooks'\''" &&
	test -x dev/.githooks/pre-push && test ! -e dev/.git/hooks/pre-push &&
	commit dev "Hooks path: CVE-2026-31337" &&
	! git -C dev push origin main 2>err &&
	has err "blocked" &&
	git -C dev reset -q --hard HEAD~1 &&
	git -C dev embargo uninstall >/dev/null && test ! -e dev/.githooks/pre-push &&
	git -C dev config --unset core.hooksPath
'

scenario 'core.hooksPath in a bare repository is relative to it' '
	git init -q --bare srv.git &&
	git -C srv.git config core.hooksPath custom-hooks &&
	git embargo install --server srv.git >out &&
	has out "installed pre-receive in '\''$SCRATCH/srv.git/custom-hooks'\''" &&
	installed srv.git/custom-hooks/pre-receive pre-receive &&
	commit dev "To the server: CVE-2026-31337" &&
	! git -C dev push --no-verify "$SCRATCH/srv.git" main 2>err &&
	has err "remote: git-embargo: push rejected" &&
	git -C dev reset -q --hard HEAD~1
'

scenario 'uninstall in a bare repository takes out the server hooks' '
	git embargo install --update srv.git >/dev/null &&
	git embargo uninstall srv.git >out &&
	has out "removed pre-receive" && has out "removed update" &&
	test -z "$(ls srv.git/custom-hooks)"
'

scenario 'install refuses what it does not know' '
	! git -C dev embargo install --everything 2>err &&
	has err "usage:" &&
	! git embargo install "$SCRATCH/no-such-repo" 2>err &&
	has err "no-such-repo"
'

scenario 'pre-commit framework: the manifest and its adapter' '
	has "$SRC_DIR/.pre-commit-hooks.yaml" "entry: hooks/pre-commit-pre-push" &&
	has "$SRC_DIR/.pre-commit-hooks.yaml" "stages: [push]" &&
	commit dev "Via pre-commit: CVE-2026-31337" &&
	(cd dev && PRE_COMMIT_REMOTE_NAME=origin PRE_COMMIT_REMOTE_URL="$SCRATCH/pub.git" \
		PRE_COMMIT_TO_REF=$(git rev-parse HEAD) PRE_COMMIT_FROM_REF=$(git rev-parse HEAD~1) \
		PRE_COMMIT_LOCAL_BRANCH=refs/heads/main PRE_COMMIT_REMOTE_BRANCH=refs/heads/main \
		"$SRC_DIR/hooks/pre-commit-pre-push" 2>../err); test $? = 1 &&
	has err "Via pre-commit: CVE-2026-31337" &&
	git -C dev reset -q --hard HEAD~1 &&
	(cd dev && PRE_COMMIT_REMOTE_NAME=origin PRE_COMMIT_REMOTE_URL="$SCRATCH/pub.git" \
		PRE_COMMIT_TO_REF=$(git rev-parse HEAD) \
		PRE_COMMIT_LOCAL_BRANCH=refs/heads/main PRE_COMMIT_REMOTE_BRANCH=refs/heads/main \
		"$SRC_DIR/hooks/pre-commit-pre-push")
'

finish
