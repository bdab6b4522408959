#!/bin/sh
# What `git embargo audit` does when part of a repository cannot be read
# (the row is incomplete and keeps what was found), a partial clone (its
# missing blobs are notes), and refs a forge publishes beyond branches
# and tags (--refs forge): real repositories made with git.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/audit-org.sh"

cd "$SCRATCH"
make_org "$SCRATCH"
L="--list $SCRATCH/embargo.list"

# ---- a missing object: the row is incomplete, not lost --------------------
git init -q -b main holes/broken
good_policy holes/broken
git -C holes/broken add -A
org_commit holes/broken 2026-05-01 "Policy"
echo 'int parse(void);' >holes/broken/parse.c
git -C holes/broken add -A
org_commit holes/broken 2026-05-02 "Fix the parser (CVE-2026-1001)"
blob=$(git -C holes/broken rev-parse HEAD:parse.c)
rm -f "holes/broken/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
expect "a repository with a missing blob and a leak exits 1" 1 \
	git embargo audit $L --format json holes/broken
contains "...the finding made before the failure is kept" '"identifier":"CVE-2026-1001","hashed":false,"until":"2099-12-31","kind":"message"'
contains "...so the verdict is the leak" '"verdict":"leak"'
contains "...the policy verdict is kept" '"status":"ok"'
contains "...and the row says what is missing" "\"incomplete\":\"cannot scan history: cannot read blob $blob ('parse.c' in commit"
contains "...which the summary counts" '"rows_incomplete":1'
contains "...not as an error row" '"error":null'
expect "text says incomplete" 1 git embargo audit $L holes/broken
contains "...with the reason" "incomplete: cannot scan history: cannot read blob $blob"
contains "...what to do" "fix: Check access rights; a repository with missing or corrupt objects needs 'git fsck' and repair, then audit it again. Remove the references"

# without a leak the verdict is incomplete, and exit 3
git init -q -b main holes/quiet
good_policy holes/quiet
git -C holes/quiet add -A
org_commit holes/quiet 2026-05-01 "Policy"
echo 'x' >holes/quiet/x.c
git -C holes/quiet add -A
org_commit holes/quiet 2026-05-02 "Add x"
blob=$(git -C holes/quiet rev-parse HEAD:x.c)
rm -f "holes/quiet/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
expect "a missing blob without a leak exits 3" 3 git embargo audit $L --format json holes/quiet
contains "...verdict incomplete" '"verdict":"incomplete"'
contains "...policy kept" '"status":"ok"'
contains "...summary" '"incomplete":1,"not-audited":0}'

# ---- the timeout: the same, for a scan that takes too long ----------------
expect "bad --timeout" 2 git embargo audit $L --timeout 0 org/alpha
contains "...says what is expected" "bad --timeout '0': expected seconds above 0"
expect "a scan past its time exits 1 (the policy error stays)" 1 \
	env GIT_EMBARGO_TIMEOUT_MS=expired git embargo audit $L --timeout 60 --format json org/stale
contains "...incomplete with the reason" '"incomplete":"cannot scan history: time limit reached'
contains "...its policy verdict kept" '"rule":"expired"'
contains "...which stays the verdict" '"verdict":"error"'
contains "...and is counted" '"rows_incomplete":1'
expect "a scan within its time" 0 git embargo audit $L --timeout 600 org/alpha

# ---- a partial clone: missing blobs are notes ------------------------------
git init -q -b main src-partial
good_policy src-partial
git -C src-partial add -A
org_commit src-partial 2026-05-01 "Policy"
echo 'old text' >src-partial/old.c
git -C src-partial add -A
org_commit src-partial 2026-05-02 "Old"
git -C src-partial rm -q old.c
org_commit src-partial 2026-05-03 "Drop old"
git -C src-partial config uploadpack.allowFilter true
git clone -q --filter=blob:none "file://$SCRATCH/src-partial" partial/p 2>/dev/null
[ "$(git -C partial/p config remote.origin.promisor)" = true ] &&
	pass "fixture: a partial clone" || fail "fixture: not a partial clone"
expect "a partial clone is audited in full" 0 git embargo audit $L --format json partial/p
contains "...the missing blob is a note" '"notes":["1 blob not in this partial clone: not scanned"]'
contains "...not a reason to call it incomplete" '"incomplete":null'

# ---- refs a forge publishes: --refs forge ----------------------------------
git init -q -b main forge/site
good_policy forge/site
git -C forge/site add -A
org_commit forge/site 2026-05-01 "Policy"
git -C forge/site checkout -q -b contributor
org_commit forge/site 2026-05-04 "Proposed fix for CVE-2026-1002"
git -C forge/site update-ref refs/pull/7/head HEAD
git -C forge/site checkout -q main
git -C forge/site branch -q -D contributor
expect "branches and tags only: the pull-request ref is not seen" 0 \
	git embargo audit $L --format json forge/site
expect "--refs forge: a leak" 1 git embargo audit $L --refs forge --format json forge/site
contains "...named by its pull-request ref" '"refs":["refs/pull/7/head"]'
contains "...and reachable from no branch or tag" '"forge_only":true'
expect "--refs forge: the fix says a force-push cannot remove it" 1 \
	git embargo audit $L --refs forge forge/site
contains "...in the fix text" "1 finding is only in pull-request or merge-request refs (refs/pull/*, refs/merge-requests/*): anyone can fetch them and a force-push cannot remove them"
contains "...and the rollup counts it" "CVE-2026-1002  1 repository, 1 commit, 2026-05-04, 1 only on pull-request refs"
expect "help names the preset" 0 git embargo audit -h
contains "...forge" "'forge': also what a forge publishes (refs/pull/*, refs/merge-requests/*)"

# ---- hashed entries stay hashed in the rollup ------------------------------
h=$(printf '%s' CVE-2026-1002 | sha256sum | cut -c1-64)
printf '[embargo "sha256:%s"]\n\tuntil = 2099-12-31\n' "$h" >hashed.list
expect "a hashed entry" 1 git embargo audit --list hashed.list --redact org/leaky
contains "...is shown hashed in the rollup" "  sha256:"
lacks "...never in clear" "CVE-2026-1002"

finish
