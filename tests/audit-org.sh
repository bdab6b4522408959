# audit-org.sh - sourced by the audit tests (tests/t07*-audit*.sh) after
# lib.sh: build a small organisation of real repositories with the real
# git binary, every commit dated, "today" fixed at 2026-06-01.
#
#   make_org DIR    creates DIR/org and DIR/embargo.list
#
# DIR/org:
#   .github/                 the organisation default SECURITY.md
#   alpha/                   good SECURITY.md, clean history
#   nested/team/beta.git     bare, good SECURITY.md, clean
#   gamma/                   no SECURITY.md (inherits the default)
#   stale/                   SECURITY.md expired on 2025-01-01 (2024 commit)
#   tagged/                  CVE-2026-1001 only in a commit reachable from
#                            tag v0.9-hotfix, no branch
#   secret/                  embargo.public = false, CVE-2026-1002 on main
#   leaky/                   CVE-2026-1002 added in a file on a branch
#   notes.git/               a folder, not a repository
#   docs/                    a plain folder (not reported)
#   corrupt/                 a repository with its tree objects deleted

GIT_EMBARGO_NOW=2026-06-01
export GIT_EMBARGO_NOW
unset XDG_CACHE_HOME

org_commit() { # repo date message
	GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" \
		git -C "$1" commit -q --allow-empty -m "$3"
}

good_policy() { # repo
	cat >"$1/SECURITY.md" <<'EOF'
# Security policy

## Reporting a vulnerability

Please report vulnerabilities privately to security@acme-corp.net.
We answer within three working days and publish an advisory once a
fix is released.
EOF
}

make_org() {
	d=$1
	mkdir -p "$d/org"
	cat >"$d/embargo.list" <<'EOF'
[embargo "CVE-2026-1001"]
	until = 2099-12-31
[embargo "CVE-2026-1002"]
	until = 2099-12-31
EOF
	o=$d/org
	for r in .github alpha gamma stale tagged secret leaky corrupt; do
		git init -q -b main "$o/$r"
	done

	good_policy "$o/.github"
	git -C "$o/.github" add -A
	org_commit "$o/.github" 2026-05-01 "Organisation security policy"

	good_policy "$o/alpha"
	echo 'int main(void) { return 0; }' >"$o/alpha/main.c"
	git -C "$o/alpha" add -A
	org_commit "$o/alpha" 2026-05-01 "Initial import"

	git init -q -b main "$d/work-beta"
	good_policy "$d/work-beta"
	git -C "$d/work-beta" add -A
	org_commit "$d/work-beta" 2026-04-01 "Beta"
	mkdir -p "$o/nested/team"
	git clone -q --bare "$d/work-beta" "$o/nested/team/beta.git"
	rm -rf "$d/work-beta"

	echo 'gamma' >"$o/gamma/README"
	git -C "$o/gamma" add -A
	org_commit "$o/gamma" 2026-05-01 "Gamma without a policy"

	good_policy "$o/stale"
	printf 'Expires: 2025-01-01T00:00:00Z\n' >>"$o/stale/SECURITY.md"
	git -C "$o/stale" add -A
	org_commit "$o/stale" 2024-01-10 "Policy of 2024"

	good_policy "$o/tagged"
	git -C "$o/tagged" add -A
	org_commit "$o/tagged" 2026-05-01 "Release 0.9"
	git -C "$o/tagged" checkout -q -b hotfix
	echo 'fix' >"$o/tagged/fix.c"
	git -C "$o/tagged" add -A
	org_commit "$o/tagged" 2026-05-02 "Fix parser overflow (CVE-2026-1001)"
	git -C "$o/tagged" tag v0.9-hotfix
	git -C "$o/tagged" checkout -q main
	git -C "$o/tagged" branch -q -D hotfix

	good_policy "$o/secret"
	git -C "$o/secret" config embargo.public false
	git -C "$o/secret" add -A
	org_commit "$o/secret" 2026-05-01 "Work on CVE-2026-1002"

	good_policy "$o/leaky"
	git -C "$o/leaky" add -A
	org_commit "$o/leaky" 2026-05-01 "Policy"
	git -C "$o/leaky" checkout -q -b wip
	echo '/* see CVE-2026-1002 */' >"$o/leaky/parse.c"
	git -C "$o/leaky" add -A
	org_commit "$o/leaky" 2026-05-03 "Harden the parser"
	git -C "$o/leaky" checkout -q main

	mkdir -p "$o/notes.git" "$o/docs"
	echo 'not a repository' >"$o/notes.git/README"
	echo 'handbook' >"$o/docs/handbook.txt"

	echo 'x' >"$o/corrupt/x"
	git -C "$o/corrupt" add -A
	org_commit "$o/corrupt" 2026-05-01 "Soon corrupt"
	tree=$(git -C "$o/corrupt" rev-parse 'HEAD^{tree}')
	rm -f "$o/corrupt/.git/objects/$(echo "$tree" | cut -c1-2)/$(echo "$tree" | cut -c3-)"
}
