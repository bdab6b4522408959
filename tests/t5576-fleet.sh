#!/bin/sh
# t5576-fleet.sh - rolling git-embargo out to every developer: the list
# exported for developers' machines (hashed, notes left out, aliases and
# patterns where the team keeps them), and the recipes for a whole fleet
# with real pushes: embargo.list in the system config (GIT_CONFIG_SYSTEM
# stands for /etc/gitconfig), a system-wide core.hooksPath, and
# init.templateDir.
. "$(dirname "$0")/t-hook-lib.sh"

cat >"$SCRATCH/team.list" <<'EOF2'
[embargo "CVE-2026-31337"]
	until = 2026-12-01T14:00:00Z
	alias = Bleeding Heart
	pattern = bleed(ing)?[- _]?heart
	note = heap overflow in the parser, ticket SEC-88
[embargo "SEC-1042"]
	note = the; tricky "one" # here
	alias = ticket \"1042\"
[embargo "CVE-2025-1111"]
	until = 2026-03-01
EOF2

scenario 'export: every identifier hashed, notes and lifted entries left out' '
	git embargo list --export --list team.list >dev.list 2>err &&
	hasnt dev.list "CVE-2026-31337" && hasnt dev.list "SEC-1042" &&
	hasnt dev.list "CVE-2025-1111" &&
	hasnt dev.list "heap overflow" && hasnt dev.list "tricky" &&
	has dev.list "[embargo \"sha256:$(git embargo hash CVE-2026-31337 | sed "s/.*sha256:\([0-9a-f]*\).*/\1/")\"]" &&
	has dev.list "	until = 2026-12-01T14:00Z" &&
	has dev.list "# Left out: 2 notes, 0 aliases, 0 patterns, 1 lifted entry" &&
	has dev.list "leave them out with --no-aliases --no-patterns" &&
	has err "exported 2 entries, every identifier hashed; left out 2 notes, 0 aliases, 0 patterns, 1 lifted entry" &&
	git embargo list --list dev.list >out &&
	has out "2 entries, 2 in force"
'

scenario 'export --no-aliases --no-patterns: no plain text at all, and says so' '
	git embargo list --export --no-aliases --no-patterns --list team.list >dev2.list 2>err &&
	hasnt dev2.list "Bleeding" && hasnt dev2.list "bleed" && hasnt dev2.list "1042" &&
	has dev2.list "# Left out: 2 notes, 2 aliases, 1 pattern, 1 lifted entry" &&
	has err "left out 2 notes, 2 aliases, 1 pattern"
'

scenario 'the exported list blocks what the team list blocks' '
	git init -q dev && git init -q --bare pub.git &&
	git -C dev config embargo.list "$SCRATCH/dev.list" &&
	git -C dev embargo install >/dev/null &&
	commit dev "Fix the parser (cve-2026-31337)" &&
	! git -C dev push "$SCRATCH/pub.git" main 2>err &&
	has err "blocked" &&
	git -C dev reset -q --hard HEAD~1 2>/dev/null || git -C dev update-ref -d HEAD
'

scenario 'export refuses its options without --export' '
	git embargo list --no-aliases --list team.list 2>err; test $? = 2 &&
	has err "go with --export"
'

# --- a whole fleet: the system config ---
SYS=$SCRATCH/etc/gitconfig
mkdir -p "$SCRATCH/etc"
git config --global --unset embargo.list

scenario 'embargo.list in the system config reaches every repository' '
	git config --file "$SYS" embargo.list "$SCRATCH/dev.list" &&
	git init -q fleet1 &&
	(unset GIT_CONFIG_NOSYSTEM; GIT_CONFIG_SYSTEM="$SYS"; export GIT_CONFIG_SYSTEM;
	 cd fleet1 && git embargo list >../out) &&
	has out "2 entries, 2 in force" &&
	git -C fleet1 embargo list 2>err; test $? = 2
'

scenario 'a system-wide core.hooksPath: every clone is checked, without install' '
	git config --file "$SYS" core.hooksPath "$SCRATCH/etc/git-hooks" &&
	(unset GIT_CONFIG_NOSYSTEM; GIT_CONFIG_SYSTEM="$SYS"; export GIT_CONFIG_SYSTEM;
	 git embargo install --pre-push --hooks-dir "$SCRATCH/etc/git-hooks" >out 2>&1 &&
	 git clone -q "$SCRATCH/pub.git" fleet2 2>/dev/null &&
	 commit fleet2 "Backport for Bleeding Heart" &&
	 ! git -C fleet2 push origin HEAD:refs/heads/main 2>err) &&
	installed etc/git-hooks/pre-push pre-push &&
	has err "push to '\''origin'\'' blocked" &&
	has err "Bleeding Heart"
'

scenario 'system-wide core.hooksPath replaces each repository'\''s own hooks' '
	printf "#!/bin/sh\necho own hook ran >&2\n" >fleet2/.git/hooks/pre-push &&
	chmod +x fleet2/.git/hooks/pre-push &&
	(unset GIT_CONFIG_NOSYSTEM; GIT_CONFIG_SYSTEM="$SYS"; export GIT_CONFIG_SYSTEM;
	 ! git -C fleet2 push origin HEAD:refs/heads/main 2>err) &&
	hasnt err "own hook ran" &&
	(unset GIT_CONFIG_NOSYSTEM; GIT_CONFIG_SYSTEM="$SYS"; export GIT_CONFIG_SYSTEM;
	 ! git -C fleet2 embargo install 2>err) &&
	has err "is set in the system config and shared by every repository" &&
	git config --file "$SYS" --unset core.hooksPath
'

scenario 'init.templateDir: new clones get the hook' '
	mkdir -p etc/git-template &&
	git embargo install --pre-push --hooks-dir "$SCRATCH/etc/git-template/hooks" >/dev/null &&
	git config --file "$SYS" init.templateDir "$SCRATCH/etc/git-template" &&
	(unset GIT_CONFIG_NOSYSTEM; GIT_CONFIG_SYSTEM="$SYS"; export GIT_CONFIG_SYSTEM;
	 git clone -q "$SCRATCH/pub.git" fleet3 2>/dev/null &&
	 test -x fleet3/.git/hooks/pre-push &&
	 commit fleet3 "Work on CVE-2026-31337" &&
	 ! git -C fleet3 push origin HEAD:refs/heads/main 2>err) &&
	has err "blocked"
'

# --- the pre-commit framework, as Debian bookworm ships it (3.0.x) ---
if command -v pre-commit >/dev/null 2>&1; then
	# the manifest and adapter of this tree, tagged as a release would be
	git init -q "$SCRATCH/hooksrc"
	cp -R "$SRC_DIR/.pre-commit-hooks.yaml" "$SRC_DIR/hooks" "$SCRATCH/hooksrc/"
	git -C "$SCRATCH/hooksrc" add -A
	git -C "$SCRATCH/hooksrc" commit -q -m "git-embargo hooks"
	git -C "$SCRATCH/hooksrc" tag v0.2.0
	git config --global embargo.list "$SCRATCH/dev.list"
	PRE_COMMIT_HOME=$SCRATCH/pre-commit-cache
	export PRE_COMMIT_HOME

	scenario "pre-commit $(pre-commit --version | cut -d" " -f2): the manifest installs and blocks" '
		git init -q pc && git init -q --bare pc-pub.git &&
		printf "repos:\n  - repo: %s\n    rev: v0.2.0\n    hooks:\n      - id: git-embargo\n" \
			"$SCRATCH/hooksrc" >pc/.pre-commit-config.yaml &&
		git -C pc add .pre-commit-config.yaml && git -C pc commit -q -m "Use pre-commit" &&
		(cd pc && pre-commit install --hook-type pre-push >/dev/null) &&
		git -C pc remote add origin "$SCRATCH/pc-pub.git" &&
		git -C pc push -q origin main 2>err &&
		commit pc "Backport the Bleeding Heart fix" &&
		! git -C pc push origin main >err 2>&1 &&
		has err "git-embargo (embargoed security issues)" &&
		has err "push to '\''origin'\'' blocked" &&
		test "$(rev pc-pub.git main)" = "$(rev pc main~1)"
	'
else
	echo "# skipped: pre-commit is not installed (make deps installs it)"
fi

finish
