#!/bin/sh
# t5578-hook-pre-commit.sh - the pre-commit framework's adapter
# (hooks/pre-commit-pre-push) with the real pre-commit: it is given one
# ref of a push, so it says on every push that the others are not
# checked; with `git embargo install` beside it, git-embargo's own hook
# checks every ref (and names only), and the adapter leaves the push to
# it.
. "$(dirname "$0")/t-hook-lib.sh"

if ! command -v pre-commit >/dev/null 2>&1; then
	echo "# skipped: pre-commit is not installed (make deps installs it)"
	finish
	exit 0
fi

# the manifest and adapter of this tree, tagged as a release would be
git init -q "$SCRATCH/hooksrc"
cp -R "$SRC_DIR/.pre-commit-hooks.yaml" "$SRC_DIR/hooks" "$SCRATCH/hooksrc/"
git -C "$SCRATCH/hooksrc" add -A
git -C "$SCRATCH/hooksrc" commit -q -m "git-embargo hooks"
git -C "$SCRATCH/hooksrc" tag v0.2.0
PRE_COMMIT_HOME=$SCRATCH/pre-commit-cache
export PRE_COMMIT_HOME

git init -q "$SCRATCH/pc"
git init -q --bare "$SCRATCH/pub.git"
printf "repos:\n  - repo: %s\n    rev: v0.2.0\n    hooks:\n      - id: git-embargo\n" \
	"$SCRATCH/hooksrc" >"$SCRATCH/pc/.pre-commit-config.yaml"
git -C "$SCRATCH/pc" add .pre-commit-config.yaml
git -C "$SCRATCH/pc" commit -q -m "Use pre-commit"
(cd "$SCRATCH/pc" && pre-commit install --hook-type pre-push >/dev/null)
git -C "$SCRATCH/pc" remote add origin "$SCRATCH/pub.git"
git -C "$SCRATCH/pc" push -q origin main >/dev/null 2>&1

scenario 'pre-commit alone: each push says which one ref is checked' '
	commit pc "Clean work" &&
	git -C pc push origin main >err 2>&1 &&
	has err "WARNING: pre-commit passes on one ref of a push" &&
	has err "'\''refs/heads/main'\'' is checked here" &&
	has err "git embargo install" &&
	test "$(rev pub.git main)" = "$(rev pc main)"
'

scenario 'pre-commit alone: the ref it passes on is checked' '
	commit pc "Fix CVE-2026-31337" &&
	! git -C pc push origin main >err 2>&1 &&
	has err "push to '\''origin'\'' blocked" &&
	test "$(rev pub.git main)" = "$(rev pc main~1)" &&
	git -C pc reset -q --hard HEAD~1
'

scenario 'pre-commit alone cannot see a name-only push: the warning stands' '
	git -C pc push origin main:refs/heads/fix/CVE-2026-31337 >err 2>&1 &&
	test -n "$(rev pub.git fix/CVE-2026-31337)" &&
	git -C pc push -q --no-verify origin :refs/heads/fix/CVE-2026-31337
'

scenario 'with git embargo install: every ref of the push is checked' '
	git -C pc embargo install >out &&
	has out "pre-push" &&
	test -x pc/.git/hooks/pre-push.embargo-chained &&
	git -C pc checkout -q -b a-clean main && commit pc "a: clean" &&
	git -C pc checkout -q -b z-dirty main && commit pc "z: CVE-2026-31337" &&
	git -C pc checkout -q main &&
	! git -C pc push origin a-clean z-dirty >err 2>&1 &&
	has err "z: CVE-2026-31337" &&
	hasnt err "WARNING" &&
	test -z "$(rev pub.git a-clean)" && test -z "$(rev pub.git z-dirty)"
'

scenario 'with git embargo install: a name-only push is checked too' '
	! git -C pc push origin main:refs/heads/fix/CVE-2026-31337 >err 2>&1 &&
	has err "ref refs/heads/fix/CVE-2026-31337" &&
	test -z "$(rev pub.git fix/CVE-2026-31337)"
'

scenario 'near miss: with both, a clean push passes quietly' '
	git -C pc push origin a-clean >err 2>&1 &&
	hasnt err git-embargo: &&
	test "$(rev pub.git a-clean)" = "$(rev pc a-clean)"
'

finish
