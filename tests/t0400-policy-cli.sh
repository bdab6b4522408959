#!/bin/sh
# t0400-policy-cli.sh - `git embargo policy` end to end: run through git
# as `git embargo policy`, its exit statuses (0 no error, 1 error or
# --strict warning, 2 usage or configuration, 3 repository), formats,
# --rev, the repository argument, --org-default and --template.
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/data" && pwd)

GIT_COMMITTER_DATE=2026-01-01T00:00:00Z GIT_AUTHOR_DATE=2026-01-01T00:00:00Z
GIT_EMBARGO_NOW=2026-06-01
export GIT_COMMITTER_DATE GIT_AUTHOR_DATE GIT_EMBARGO_NOW

R="$SCRATCH/repo"
git init -q "$R"
cd "$R" || exit 1
echo "# widget" >README.md
git add -A && git commit -q -m init

expect "missing policy is an error" 1 git embargo policy
contains "missing names the rule" "[missing]"
contains "missing says where to put it" "in .github/ or in docs/"

cat >SECURITY.md <<'POLICY'
# Security Policy

Report vulnerabilities to security@acme.io; we answer within 3 days and
disclose after the fix.
POLICY
git add -A && git commit -q -m policy
expect "a good policy passes" 0 git embargo policy
contains "summary says ok" "'SECURITY.md': ok"
contains "summary gives the Scorecard score" "Scorecard would give 10/10"

expect "--rev judges an older revision" 1 git embargo policy --rev HEAD~1
contains "--rev HEAD~1 has no policy" "[missing]"
expect "--rev=REV form" 0 git embargo policy --rev=HEAD
expect "a bad revision is a repository error" 3 git embargo policy --rev nope

cat >>SECURITY.md <<'POLICY'

Or open a public issue at https://github.com/acme/widget/issues/new if
you prefer: we read those too.
POLICY
git add -A && git commit -q -m "public too"
echo "Expires: 2026-12-01" >>SECURITY.md
printf '\nSee [the process](docs/process.md).\n' >>SECURITY.md
git add -A && git commit -q -m "dead link"
expect "warnings alone exit 0" 0 git embargo policy
contains "the dead link is a warning" "warning: 'SECURITY.md' line 10: link 'docs/process.md'"
contains "the public channel is a note" "info: "
expect "--strict makes warnings fail" 1 git embargo policy --strict
contains "--strict summary" "'SECURITY.md': error"

expect "json format" 0 git embargo policy --format json
contains "json path" '"path": "SECURITY.md"'
contains "json status" '"status": "warning"'
contains "json last_changed" '"last_changed": "2026-01-01"'
contains "json scorecard" '"scorecard": 10'
contains "json problem rule" '"rule": "dead-link"'
contains "json problem line" '"line": 10'
expect "json --strict status" 1 git embargo policy --format=json --strict
contains "json strict status" '"status": "error"'
# jq is installed by `make deps`: the JSON must parse as JSON
git embargo policy --format json >"$SCRATCH/j"
if jq -e '.problems | length == 2' "$SCRATCH/j" >/dev/null; then
	pass "json parses, two problems"
else
	fail "json parses, two problems"
fi

expect "sarif format" 0 git embargo policy --format sarif
contains "sarif version" '"version": "2.1.0"'
contains "sarif rule id: the audit's" '"ruleId": "security-policy/dead-link"'
contains "sarif location" '"uri": "SECURITY.md"'

GIT_EMBARGO_NOW=2027-01-01 expect "an expired policy is an error" 1 \
	git embargo policy
contains "expired names the line" "line 8: the policy expired on 2026-12-01"

expect "unknown option is usage" 2 git embargo policy --frobnicate
contains "usage shown" "usage: git embargo policy"
expect "unknown format is usage" 2 git embargo policy --format xml
expect "help exits 0" 0 git embargo policy -h
expect "two repositories is usage" 2 git embargo policy a b

cd "$SCRATCH" || exit 1
expect "a repository argument" 0 git embargo policy "$R"
expect "not a repository" 3 git embargo policy "$SCRATCH/nowhere"
cd "$R" || exit 1

git config embargo.policy.maxAge nonsense
expect "bad maxAge is a configuration error" 2 git embargo policy
git config --unset embargo.policy.maxAge

# an organisation default for a repository without a policy
O="$SCRATCH/org"
git init -q "$O"
printf '# Org policy\n\nMail security@acme.io.\n' >"$O/SECURITY.md"
git -C "$O" add -A && git -C "$O" commit -q -m default
git rm -q SECURITY.md && git commit -q -m "use the org policy"
expect "inherited is a warning" 0 git embargo policy --org-default "$O"
contains "inherited rule" "[inherited]"
contains "inherited path" "$O:SECURITY.md"
expect "org default over file://" 0 git embargo policy --org-default "file://$O"
expect "an org default that is not there" 2 \
	git embargo policy --org-default "$SCRATCH/none"

# the template, and the seeds of tests/data
sed -e 's/security@jet\.com/{{email}}/g' -e 's/Jet\.com/{{org}}/g' \
	-e 's/Jet/{{org}}/g' "$DATA/seeds/jet-SECURITY.md" \
	>"$SCRATCH/template.md"
cp "$DATA/seeds/klarna-SECURITY.md" SECURITY.md
git add -A && git commit -q -m klarna
expect "klarna seed: warnings only" 0 git embargo policy \
	--template "$SCRATCH/template.md"
contains "klarna: corporate.walmart.com" "goes to corporate.walmart.com"
contains "klarna: template drift" "[template-drift]"
contains "klarna: the diff" "+- We will release the fix and publicly disclose the issue as soon as possible, but want to ensure we due properly due diligence before releasing"
contains "klarna: one line" "on 1 line"
lacks "klarna: nothing else differs" "Klarna's obligations"

finish
