#!/bin/sh
# `git embargo audit` over a small organisation made with git (see
# audit-org.sh): every row, every format, --jobs, --shard run by GNU
# parallel and --merge, --refs, --no-diffs, --redact, visibility, @FILE
# lists, the progress line, --output, exit codes and usage errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/audit-org.sh"

cd "$SCRATCH"
make_org "$SCRATCH"
L="--list $SCRATCH/embargo.list"
export XDG_CACHE_HOME="$SCRATCH/cache"

# the row of repository $1 in file $2
row() { grep -F "\"repository\":\"$1\"" "$2"; }

# row_has NAME REPO TEXT: the row of REPO in all.json contains TEXT
row_has() {
	row "$2" all.json >"$SCRATCH/.row"
	check "$1" has "$SCRATCH/.row" "$3"
}

# same NAME FILE1 FILE2: byte-identical files (what differs is shown)
same() { check "$1" diff "$2" "$3"; }

# ---- one run, every row ------------------------------------------------

git embargo audit $L --format json org >all.json 2>all.err
status=$?
[ $status -eq 1 ] && pass "leaks come first: an organisation with leaks and broken repositories exits 1" ||
	fail "organisation audit exited $status, expected 1"
[ "$(cat all.err)" = "git-embargo: of 10 repositories, 1 could not be audited and 1 only in part (their rows say why)" ] &&
	pass "stderr only says how many could not be audited" ||
	fail "stderr: $(cat all.err)"

grep -o '"repository":"[^"]*"' all.json | sed 's/"repository"://; s/"//g' >names
cat >want <<'EOF'
org/.github
org/alpha
org/corrupt
org/gamma
org/leaky
org/nested/team/beta.git
org/notes.git
org/secret
org/stale
org/tagged
EOF
same "every repository found once, sorted; not docs/, not inside .git" names want
[ "$(wc -l <all.json)" -eq 11 ] && pass "ten rows and a summary line" ||
	fail "$(wc -l <all.json) lines"
[ "$(grep -c '^{"type":"repository","repository":"[^"]*","verdict":"[a-z-]*","public":\(true\|false\),"policy":.*,"findings":\[.*\],"error":.*,"incomplete":.*,"notes":\[.*\]}$' all.json)" -eq 10 ] &&
	pass "rows have the documented keys in order" || fail "row keys"

row_has "clean repository: no findings" org/alpha '"findings":[],"error":null,"incomplete":null,"notes":[]}'
row_has "clean repository: verdict ok" org/alpha '"verdict":"ok"'
row_has "a public repository with a reference is a leak" org/leaky '"verdict":"leak"'
row_has "...even when its policy is fine" org/leaky '"status":"ok"'
row_has "a finding carries its commit date" org/leaky '"date":"2026-05-03"'
row_has "...and the refs that reach it" org/leaky '"refs":["refs/heads/wip"]'
row_has "a private repository with references: private-findings" org/secret '"verdict":"private-findings"'
row_has "a policy error is the verdict error" org/stale '"verdict":"error"'
row_has "a policy warning is the verdict warning" org/gamma '"verdict":"warning"'
row_has "a folder that is not a repository: not-audited" org/notes.git '"verdict":"not-audited"'
row_has "clean repository: public by default" org/alpha '"public":true'
row_has "bare repository in a nested folder is audited" org/nested/team/beta.git '"error":null'
row_has "bare repository's SECURITY.md is read from git objects" org/nested/team/beta.git '"path":"SECURITY.md"'
row_has "a folder named .git that is not a repository is an error row" org/notes.git '"error":"not a git repository'
row_has "a folder that is not a repository has no policy" org/notes.git '"policy":null'
row_has "a corrupt repository is audited in part" org/corrupt '"verdict":"incomplete"'
row_has "...not an error row" org/corrupt '"error":null,"incomplete":"cannot check SECURITY.md: '"'"'HEAD'"'"' is not a commit or tree'
row_has "an added line on a branch is found" org/leaky '"kind":"line","commit":'
row_has "the added line names its file" org/leaky '"path":"parse.c","line":1'
row_has "a reference only on a tag is found" org/tagged '"identifier":"CVE-2026-1001"'
tagged=$(git -C org/tagged rev-parse 'v0.9-hotfix^{commit}')
row_has "the tag's commit is named" org/tagged "\"commit\":\"$tagged\""
row_has "embargo.public=false makes a repository private" org/secret '"public":false'
row_has "a private repository's findings are listed" org/secret '"identifier":"CVE-2026-1002"'

# every audited row carries exactly what `git embargo policy` says
for r in org/.github org/alpha org/gamma org/leaky org/nested/team/beta.git \
	org/secret org/stale org/tagged; do
	git embargo policy --format json --org-default org/.github "$r" |
		tr -d ' \n\t' >p.want
	row "$r" all.json | sed 's/.*"policy":\(.*\),"findings":.*/\1/' |
		tr -d ' \n\t' >p.got
	same "policy object of $r is the policy command's" p.got p.want
done

# the summary is the count of the rows' verdicts
for v in leak error warning ok private-findings incomplete not-audited; do
	n=$(grep -c "\"verdict\":\"$v\"" all.json)
	tail -n 1 all.json | grep -q "\"$v\":$n[,}]" &&
		pass "summary counts $n rows with verdict $v" ||
		fail "summary of verdict $v: $(tail -n 1 all.json)"
done
tail -n 1 all.json | grep -q '"repositories":10,"verdicts":{"leak":2,"error":1,"warning":1,"ok":3,"private-findings":1,"incomplete":1,"not-audited":1},"rows_incomplete":1,"findings":2,"private_findings":1' &&
	pass "summary: every row once, under its verdict" || fail "summary: $(tail -n 1 all.json)"

# ---- exit codes --------------------------------------------------------
expect "a clean repository exits 0" 0 git embargo audit $L org/alpha
expect "public findings exit 1" 1 git embargo audit $L org/leaky
expect "private findings alone exit 0" 0 git embargo audit $L org/secret
expect "no SECURITY.md and no organisation default exits 1" 1 \
	git embargo audit $L --format json org/gamma
contains "...with the missing rule" '"rule":"missing"'
expect "an error row exits 3" 3 git embargo audit $L org/notes.git
expect "an incomplete row exits 3" 3 git embargo audit $L org/corrupt
expect "a leak beside a row not audited exits 1" 1 git embargo audit $L org/leaky org/notes.git
expect "a source that does not exist is an error row" 3 \
	git embargo audit $L --format json nowhere org/alpha
contains "...naming it" '"repository":"nowhere","verdict":"not-audited","public":true,"policy":null,"findings":[],"error":"cannot open '"'"'nowhere'"'"': No such file or directory","incomplete":null,"notes":[]}'
contains "...and auditing the rest" '"repository":"org/alpha"'
expect "a folder without repositories is an error row" 3 git embargo audit $L org/docs
contains "...saying so" "no git repository found in 'org/docs'"

# ---- text ----------------------------------------------------------------
expect "text table" 1 git embargo audit $L org
contains "header" "REPOSITORY                VERDICT           ACCESS   POLICY      AGE  FINDINGS  DETAILS"
contains "private row" "org/secret                private-findings  private"
contains "leak row" "org/leaky                 leak              public   ok          31d         1"
printf '%s\n' "$OUT" | head -n 1 | grep -q '^EMBARGOED IDENTIFIERS IN PUBLIC REPOSITORIES (2)$' &&
	pass "the leaks per identifier lead the report" || fail "first line: $(printf '%s\n' "$OUT" | head -n 1)"
contains "...one line per identifier" "  CVE-2026-1002  1 repository, 1 commit, 2026-05-03"
contains "...its repositories" "      repositories: org/leaky"
contains "...and the refs that reach it" "      refs: refs/tags/v0.9-hotfix"
[ "$(printf '%s\n' "$OUT" | grep -c '^    fix: Remove the references')" -eq 2 ] &&
	pass "one fix text per leaking repository" || fail "fix lines"
contains "finding under its row" "    CVE-2026-1001  commit $(echo "$tagged" | cut -c1-7) \"Fix parser overflow (CVE-2026-1001)\": message line 1"
contains "error in the details" "org/notes.git             not-audited       public   -             -         -  error: not a git repository"
contains "totals" "10 repositories: 2 leak, 1 error, 1 warning, 3 ok, 1 private-findings, 1 incomplete, 1 not-audited; 2 references in public repositories, 1 in private ones (allowed)"

# ---- --jobs: the same bytes whatever the number of workers ---------------
for j in 1 2 3 8; do
	git embargo audit $L --format json --jobs $j org >jobs$j.json 2>/dev/null
done
same "--jobs 1 and 2 give the same output" jobs1.json jobs2.json
same "--jobs 3 gives the same output" jobs1.json jobs3.json
same "--jobs 8 gives the same output" jobs1.json jobs8.json
same "default --jobs gives the same output" jobs1.json all.json

# ---- shards with GNU parallel, merged ------------------------------------
if command -v parallel >/dev/null 2>&1; then
	parallel --will-cite -j 2 "git embargo audit $L --format json --shard {}/4 org >part{}.json 2>/dev/null" ::: 1 2 3 4
	cat part1.json part2.json part3.json part4.json | grep -c '"type":"repository"' >n
	[ "$(cat n)" -eq 10 ] && pass "4 shards hold the 10 repositories once each" ||
		fail "shards hold $(cat n) rows"
	expect "merge exits as the single run" 1 git embargo audit --merge --format json \
		--output merged.json part1.json part2.json part3.json part4.json
	same "merged 4 shards == single run (json)" merged.json all.json
	git embargo audit $L --format html --output single.html org 2>/dev/null
	git embargo audit --merge --format html --output merged.html part*.json 2>/dev/null
	same "merged 4 shards == single run (html)" merged.html single.html
	git embargo audit $L --format sarif org >single.sarif 2>/dev/null
	git embargo audit --merge --format sarif part4.json part2.json part3.json part1.json >merged.sarif 2>/dev/null
	same "merged 4 shards == single run (sarif, any order of parts)" merged.sarif single.sarif
	git embargo audit $L org >single.txt 2>/dev/null
	git embargo audit --merge part*.json >merged.txt 2>/dev/null
	same "merged 4 shards == single run (text)" merged.txt single.txt
	expect "a part given twice is merged once" 1 git embargo audit --merge --format json part1.json part1.json part2.json part3.json part4.json
	contains "...with a warning" "present in more than one part"
else
	skip "shards run by GNU parallel, merged" "GNU parallel is not installed (make deps installs it)"
fi
git embargo audit $L --format json --shard 1/1 org >s11.json 2>/dev/null
same "--shard 1/1 is the whole run" s11.json all.json
expect "bad --shard" 2 git embargo audit $L --shard 5/4 org
contains "...says what is expected" "bad shard '5/4': expected I/N with 1 <= I <= N"

# ---- merge errors --------------------------------------------------------
printf '%s\n' '{"type":"repository"}' >bad.json
expect "merge of a file that is not audit output" 2 git embargo audit --merge bad.json
contains "...names file and line" "'bad.json' line 1"
sort -r all.json | grep repository >reversed.json
expect "merge of rows out of order" 2 git embargo audit --merge reversed.json
contains "...says so" "out of order"
expect "merge without files" 2 git embargo audit --merge
# parts that would lose results are refused, naming the part
for i in 1 2 3; do
	git embargo audit $L --format json --shard $i/3 org >s$i.json 2>/dev/null
done
tail -n 1 s2.json | grep -q '"shard":"2/3","sources":"sha256:[0-9a-f]\{64\}"' &&
	pass "a part's summary names its shard and the digest of its sources" ||
	fail "part summary: $(tail -n 1 s2.json)"
expect "the three parts merge" 1 git embargo audit --merge --format json s1.json s2.json s3.json
expect "a shard missing from the set" 2 git embargo audit --merge s1.json s3.json
contains "...is named" "shard 2/3 is missing: merge the parts of every shard"
: >s2-empty.json
expect "an empty part" 2 git embargo audit --merge --output m.json s1.json s2-empty.json s3.json
contains "...is named" "part 's2-empty.json' is empty"
[ ! -e m.json ] && pass "...and no report is written" || fail "m.json written"
sed '$d' s2.json >s2-cut.json
expect "a part without its summary" 2 git embargo audit --merge s1.json s2-cut.json s3.json
contains "...is cut short" "part 's2-cut.json' is cut short: it ends after"
{ sed '$d' s2.json | sed '$d'; tail -n 1 s2.json; } >s2-short.json
expect "a part with fewer rows than its summary" 2 git embargo audit --merge s1.json s2-short.json s3.json
contains "...is cut short" "part 's2-short.json' is cut short: its summary says"
git embargo audit $L --format json --shard 2/3 org/alpha org/leaky org/stale org/gamma >s2-other.json 2>/dev/null
expect "a part of another run" 2 git embargo audit --merge s1.json s2-other.json s3.json
contains "...is named" "part 's2-other.json' is from another run"
expect "a part of stdin is checked too" 2 sh -c 'git embargo audit --merge --format json s1.json - <s2-cut.json'
contains "...named" "part '-' is cut short"
expect "merge from standard input" 1 sh -c 'git embargo audit --merge - <all.json'
contains "...as text" "10 repositories:"

# ---- SARIF ----------------------------------------------------------------
expect "sarif exits as text" 1 git embargo audit $L --format sarif org
contains "sarif 2.1.0" '"version":"2.1.0","runs":['
[ "$(printf '%s\n' "$OUT" | grep -o '"automationDetails"' | wc -l)" -eq 10 ] &&
	pass "one sarif run per repository" || fail "sarif runs"
contains "policy problems are results" '"ruleId":"security-policy/expired","level":"error"'
contains "each run carries the row's verdict" '"properties":{"repository":"org/leaky","verdict":"leak"'
git embargo policy --format sarif org/stale >policy.sarif 2>/dev/null
grep -q '"ruleId": "security-policy/expired"' policy.sarif &&
	pass "one rule id for one problem in 'policy' and 'audit'" || fail "policy SARIF rule id"
contains "public finding is an error" '"ruleId":"embargoed-reference","level":"error"'
contains "private finding is a note" '"ruleId":"embargoed-reference","level":"note"'
contains "not audited is a failed invocation" '"executionSuccessful":false'

# ---- HTML (content; the browser test is t0720) ---------------------------
expect "html to a file" 1 git embargo audit $L --format html --output report.html org
[ -s report.html ] && pass "report written" || fail "no report.html"
ls report.html.tmp-* >/dev/null 2>&1 && fail "temporary file left" || pass "no temporary file left"
grep -q 'id="total-repositories">10<' report.html && pass "html totals" || fail "html totals"
expect "a failed run leaves no report" 2 git embargo audit --format html --output none.html
[ ! -e none.html ] && pass "...none" || fail "none.html written"

# ---- --refs and --no-diffs -------------------------------------------------
git embargo audit $L --format json --refs 'refs/heads/*' org/tagged org/leaky >refs.json
row org/tagged refs.json | grep -qF '"findings":[]' &&
	pass "--refs refs/heads/* leaves the tag out" || fail "--refs: $(cat refs.json)"
row org/leaky refs.json | grep -qF '"identifier":"CVE-2026-1002"' &&
	pass "--refs still scans branches" || fail "--refs lost branches"
git embargo audit $L --format json --no-diffs org/tagged org/leaky >nodiff.json
row org/leaky nodiff.json | grep -qF '"findings":[]' &&
	pass "--no-diffs skips added lines" || fail "--no-diffs: $(cat nodiff.json)"
row org/tagged nodiff.json | grep -qF '"kind":"message"' &&
	pass "--no-diffs keeps messages" || fail "--no-diffs lost messages"

# ---- --redact in every format ----------------------------------------------
for f in text json sarif html; do
	git embargo audit $L --redact --format $f org >redacted.$f 2>/dev/null
	if grep -q 'CVE-2026-100' redacted.$f; then
		fail "--redact $f still shows an identifier"
		grep -o '.\{40\}CVE-2026-100.\{20\}' redacted.$f | head -3 | sed 's/^/    | /'
	else
		pass "--redact $f shows no identifier"
	fi
	grep -q 'sha256:' redacted.$f && pass "--redact $f shows hashed forms" ||
		fail "--redact $f has no hashed form"
done
git embargo audit --merge --redact --format json all.json >redacted-merge.json 2>/dev/null
same "redacting at merge == redacting at audit" redacted-merge.json redacted.json
# a branch and a file named after the issue do not give it away either
git init -q org3/named
good_policy org3/named
mkdir org3/named/notes
echo 'timeline of CVE-2026-1002' >org3/named/notes/CVE-2026-1002.txt
git -C org3/named add -A
org_commit org3/named 2026-05-01 "Notes"
git -C org3/named branch wip/CVE-2026-1001-fix
git embargo audit $L --format json org3 >plain.json 2>/dev/null
grep -q '"ref":"refs/heads/wip/CVE-2026-1001-fix"' plain.json &&
	grep -q '"path":"notes/CVE-2026-1002.txt"' plain.json &&
	pass "unredacted: the branch and the file name the issues" ||
	fail "fixture: $(cat plain.json)"
for f in text json sarif html; do
	git embargo audit $L --redact --format $f org3 >named.$f 2>/dev/null
	grep -q 'CVE-2026-100' named.$f && fail "--redact $f: a branch or file name shows an identifier" ||
		pass "--redact $f hides identifiers in branch and file names"
done
grep -q '"ref":"refs/heads/wip/sha256:[0-9a-f]\{16\}-fix"' named.json &&
	grep -q '"path":"notes/sha256:[0-9a-f]\{16\}.txt"' named.json &&
	pass "redacted branch and file names keep their shape" || fail "names: $(cat named.json)"
git embargo audit --merge --redact --format json plain.json >named-merge.json 2>/dev/null
same "redacting names at merge == at audit" named-merge.json named.json

# ---- visibility ----------------------------------------------------------------
git embargo audit $L --format json --private 'org/*' --public 'org/leak*' org >vis.json 2>/dev/null
row org/alpha vis.json | grep -qF '"public":false' && pass "--private pattern" || fail "--private"
row org/leaky vis.json | grep -qF '"public":true' && pass "a later --public wins" || fail "--public"
expect "findings in repositories made private are not failures" 0 \
	git embargo audit $L --private 'org/t*' org/tagged

# ---- @FILE lists ------------------------------------------------------------------
cat >repos.txt <<'EOF'
# the organisation's repositories, exported from the forge

org/alpha        # the main one
   org/leaky
EOF
expect "@FILE" 1 git embargo audit $L --format json @repos.txt
[ "$(printf '%s\n' "$OUT" | grep -c '"type":"repository"')" -eq 2 ] &&
	pass "@FILE: one row per line, comments skipped" || fail "@FILE rows"
expect "@FILE from stdin" 1 sh -c "printf 'org/alpha\norg/leaky\n' | git embargo audit $L --format json @-"
expect "missing @FILE" 2 git embargo audit $L @nope.txt
contains "...named" "cannot read source list 'nope.txt'"

# ---- progress line ------------------------------------------------------------------
git embargo audit $L org/alpha org/leaky >/dev/null 2>progress.err
[ ! -s progress.err ] && pass "no progress line when stderr is not a terminal" ||
	fail "stderr: $(cat progress.err)"
if have_pty; then
	script -qec "git embargo audit $L org/alpha org/leaky >/dev/null" /dev/null </dev/null >tty.out 2>&1
	grep -q 'audit: 2/2 repositories' tty.out && pass "progress line on a terminal" ||
		fail "no progress on a terminal: $(cat -v tty.out)"
	script -qec "git embargo audit $L --quiet org/alpha >/dev/null" /dev/null </dev/null >tty.out 2>&1
	grep -q 'audit:' tty.out && fail "--quiet still shows progress" ||
		pass "--quiet: no progress line"
else
	skip "progress line on a terminal" "no pseudo-terminal here (script(1) cannot open one)"
fi

# ---- organisation default -------------------------------------------------------
git embargo audit $L --format json --org-default org/.github org/gamma org/alpha >od.json 2>/dev/null
git embargo policy --format json --org-default org/.github org/gamma | tr -d ' \n\t' >p.want
row org/gamma od.json | sed 's/.*"policy":\(.*\),"findings":.*/\1/' | tr -d ' \n\t' >p.got
same "--org-default is passed to the policy check" p.got p.want
expect "an --org-default that cannot be used is a configuration error" 2 \
	git embargo audit $L --org-default org/nothing org/gamma
contains "...named" "cannot use organisation default 'org/nothing'"

# ---- what the policy check says, as the audit shows it ------------------------
row_has "a stale SECURITY.md: expired" org/stale '"rule":"expired","severity":"error"'
row_has "...its last change" org/stale '"last_changed":"2024-01-10"'
row_has "no SECURITY.md under the org's .github: inherited" org/gamma '"rule":"inherited","severity":"warning"'
row_has "a bare repository nested deeper inherits too" org/nested/team/beta.git '"last_changed":"2026-04-01"'
expect "text shows the age and the reason" 1 git embargo audit $L org/stale org/gamma org/.github
contains "stale row" "org/stale    error             public   error      873d         0  expired"
contains "inherited row" "org/gamma    warning           public   warning     31d         0  inherited"

# links from one SECURITY.md into another audited repository are checked
# there, whichever shard that repository is in
mkdir org2
git init -q org2/handbook
mkdir org2/handbook/docs
echo '# Disclosure' >org2/handbook/docs/disclosure.md
git -C org2/handbook add -A
org_commit org2/handbook 2026-05-01 "Handbook"
git init -q org2/site
good_policy org2/site
cat >>org2/site/SECURITY.md <<'EOF2'

Read [our process](https://github.com/acme/handbook/blob/main/docs/disclosure.md)
and [the timeline](https://github.com/acme/handbook/blob/main/docs/timeline.md).
EOF2
git -C org2/site add -A
org_commit org2/site 2026-05-01 "Site"
git embargo audit $L --format json org2 >links.json 2>/dev/null
row org2/site links.json | grep -q '"rule":"dead-link"[^}]*docs/timeline.md' &&
	pass "a link to a missing file in a sibling repository is dead" ||
	fail "no dead-link: $(row org2/site links.json)"
row org2/site links.json | grep -q '"rule":"dead-link"[^}]*docs/disclosure.md' &&
	fail "a link to an existing file in a sibling is reported dead" ||
	pass "a link to an existing file in a sibling is fine"
for i in 1 2; do
	git embargo audit $L --format json --shard $i/2 org2 >l$i.json 2>/dev/null
done
git embargo audit --merge --format json l1.json l2.json >lm.json 2>/dev/null
same "sibling links are judged the same in shards" lm.json links.json

# ---- usage ----------------------------------------------------------------
expect "no source" 2 git embargo audit $L
contains "...says what to give" "nothing to audit"
expect "unknown format" 2 git embargo audit $L --format xml org
contains "...lists the formats" "unknown format 'xml': use text, json, sarif or html"
expect "bad --jobs" 2 git embargo audit $L --jobs 0 org
expect "unknown option" 2 git embargo audit $L --frobnicate org
expect "option without value" 2 git embargo audit $L org --format
contains "...named" "option '--format' needs a value"
expect "missing template" 2 git embargo audit $L --template nope.md org
expect "no embargo list" 2 git embargo audit org/alpha
expect "help" 0 git embargo audit -h
contains "help shows --shard" "--shard I/N"

finish
