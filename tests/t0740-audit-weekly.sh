#!/bin/sh
# `git embargo audit` week to week: a baseline (last week's JSON) marks
# each finding new, unchanged or gone, --only-new reports what changed,
# and a suppressions file accepts known findings until a date, with a
# reason the report shows.  Real repositories made with git.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/audit-org.sh"

cd "$SCRATCH"
make_org "$SCRATCH"
L="--list $SCRATCH/embargo.list"
row() { grep -F "\"repository\":\"$1\"" "$2"; }

git embargo audit $L --format json org >week1.json 2>/dev/null

# a week later: a new leak in alpha, the leaky branch deleted
echo '/* CVE-2026-1001 */' >>org/alpha/main.c
git -C org/alpha add -A
org_commit org/alpha 2026-05-20 "Tidy"
git -C org/leaky branch -q -D wip

expect "baseline: the new leak fails the run" 1 git embargo audit $L --format json --baseline week1.json org
printf '%s\n' "$OUT" >week2.json
row org/alpha week2.json | grep -q '"baseline":"new"' &&
	pass "a finding the baseline did not have is new" || fail "alpha: $(row org/alpha week2.json)"
row org/tagged week2.json | grep -q '"baseline":"unchanged"' &&
	pass "a finding the baseline had is unchanged" || fail "tagged: $(row org/tagged week2.json)"
row org/leaky week2.json | grep -q '"baseline":"gone","gone":true' &&
	pass "a finding that disappeared is listed as gone" || fail "leaky: $(row org/leaky week2.json)"
row org/leaky week2.json | grep -q '"verdict":"ok"' &&
	pass "...and no longer makes a leak" || fail "leaky verdict"
row org/leaky week2.json | grep -q '"changes":{"verdict_before":"leak","new":0,"unchanged":0,"gone":1}' &&
	pass "the row says what changed since the baseline" || fail "changes: $(row org/leaky week2.json)"

expect "--only-new" 1 git embargo audit $L --format json --baseline week1.json --only-new org
printf '%s\n' "$OUT" >new.json
[ "$(grep -c '"type":"repository"' new.json)" -eq 2 ] &&
	row org/alpha new.json >/dev/null && row org/leaky new.json >/dev/null &&
	pass "--only-new: only the rows that changed (alpha new, leaky gone)" ||
	fail "--only-new rows: $(grep -o '"repository":"[^"]*"' new.json | tr '\n' ' ')"
expect "--only-new in text" 1 git embargo audit $L --baseline week1.json --only-new org
contains "...marks the new finding" 'parse.c' # the gone one, with its place
contains "...new" "main.c:2 (added) [new]"
contains "...gone" "parse.c:1 (added) [gone]"
expect "--only-new needs --baseline" 2 git embargo audit $L --only-new org
contains "...says so" "--only-new needs --baseline FILE"
echo 'not json' >bad.json
expect "an unreadable baseline" 2 git embargo audit $L --baseline bad.json org
contains "...named" "baseline 'bad.json' line 1: not a line of 'git embargo audit --format json'"

# the merge of shards takes the baseline too
for i in 1 2; do git embargo audit $L --format json --shard $i/2 org >part$i.json 2>/dev/null; done
git embargo audit --merge --format json --baseline week1.json part1.json part2.json >merged.json 2>/dev/null
grep '"type":"repository"' week2.json >a
grep '"type":"repository"' merged.json >b
cmp -s a b && pass "baseline at merge == baseline at audit" || fail "merge with baseline differs"

# ---- suppressions ------------------------------------------------------------
cat >.embargo-audit-ignore <<'EOF2'
# repository     identifier      until       reason
org/tagged       CVE-2026-1001   2026-09-01  hotfix tag published by mistake; forge purge requested (SEC-12)
org/al*          CVE-2026-1001   2026-05-01  an acceptance that expired
EOF2
expect "the suppressions file in the current folder is read" 1 git embargo audit $L --format json org
printf '%s\n' "$OUT" >sup.json
row org/tagged sup.json | grep -q '"verdict":"ok"' &&
	pass "a suppressed finding does not make a leak" || fail "tagged: $(row org/tagged sup.json)"
row org/tagged sup.json | grep -q '"suppressed":true,"suppression":{"reason":"hotfix tag published by mistake; forge purge requested (SEC-12)","until":"2026-09-01","where":"line 2"}' &&
	pass "...and says why, until when and where" || fail "suppression: $(row org/tagged sup.json)"
row org/alpha sup.json | grep -q '"verdict":"leak"' &&
	row org/alpha sup.json | grep -q '"suppression_expired":"2026-05-01"' &&
	pass "an expired suppression accepts nothing and says so" || fail "alpha: $(row org/alpha sup.json)"
grep '"type":"summary"' sup.json | grep -q '"suppressed":1}' && pass "the summary counts what was suppressed" ||
	fail "summary: $(grep '"type":"summary"' sup.json)"
expect "text lists what it suppressed" 1 git embargo audit $L org
contains "...with the reason" "message line 1 (suppressed until 2026-09-01: hotfix tag published by mistake; forge purge requested (SEC-12))"
contains "...and the totals" "1 suppressed"
expect "html lists it too" 1 git embargo audit $L --format html org
contains "...marked" '<span class="rule">suppressed</span>'
mv .embargo-audit-ignore ignore.txt
expect "--ignore FILE" 0 git embargo audit $L --format json --ignore ignore.txt org/tagged org/leaky
contains "...is read" '"suppressed":true'
git config --global embargo.auditIgnore "$SCRATCH/ignore.txt"
expect "embargo.auditIgnore" 0 git embargo audit $L --format json org/tagged
contains "...is read" '"suppressed":true'
git config --global --unset embargo.auditIgnore
echo 'org/x CVE-1 2026-13-01 bad date' >bad-ignore
expect "a bad suppression line" 2 git embargo audit $L --ignore bad-ignore org/alpha
contains "...is named" "suppressions 'bad-ignore' line 1: expected 'REPOSITORY-GLOB IDENTIFIER YYYY-MM-DD REASON'"

finish
