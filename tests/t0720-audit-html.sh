#!/bin/sh
# The HTML report of `git embargo audit` in headless Chromium: the page
# loads from disk without a single network request and without script
# errors, shows the numbers of the JSON summary, draws both charts, and
# its script sorts and filters the table.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/audit-org.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	echo "# chromium is not installed: browser tests skipped (apt-get install chromium)"
	finish
	exit
fi

cd "$SCRATCH"
make_org "$SCRATCH"
L="--list $SCRATCH/embargo.list"
git embargo audit $L --format json org >all.json 2>/dev/null
git embargo audit $L --format html --title 'Acme <audit>' --output report.html org 2>/dev/null
[ -s report.html ] && pass "report written" || fail "no report"

# headless, no network of its own, a throw-away profile
browse() { # ARGS... ; stdout: what chromium prints, stderr: its log
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --disable-extensions \
		--user-data-dir="$SCRATCH/profile" --enable-logging=stderr --v=0 \
		"$@"
}

browse --dump-dom "file://$SCRATCH/report.html" >dom.html 2>chromium.log
grep -q 'data-ready="1"' dom.html && pass "the page's script ran to the end" ||
	fail "script did not finish: $(head -c 300 dom.html)"
grep -q 'data-js-error="' dom.html && fail "script error: $(grep -o 'data-js-error="[^"]*"' dom.html)" ||
	pass "no script error"
if grep -E 'CONSOLE|Uncaught|Refused to|net::ERR' chromium.log >console.txt; then
	fail "the browser logged errors or blocked requests"
	sed 's/^/    | /' console.txt | head -10
else
	pass "no console error and no blocked request"
fi

# the numbers of the JSON summary are the page's totals
for k in repositories leak error warning ok private-findings incomplete not-audited findings; do
	want=$(tail -n 1 all.json | sed "s/.*\"$k\":\([0-9]*\).*/\1/")
	got=$(sed -n "s/.*id=\"total-$k\">\([0-9]*\)<.*/\1/p" dom.html)
	[ -n "$want" ] && [ "$got" = "$want" ] && pass "total $k is $want as in the JSON" ||
		fail "total $k: page '$got', JSON '$want'"
done
rows=$(grep -o '<tr data-status' dom.html | wc -l)
[ "$rows" -eq 10 ] && pass "one table row per repository" || fail "$rows rows"
grep -q 'data-shown="10">10 of 10 repositories shown' dom.html &&
	pass "the script counts the rows shown" || fail "shown count"
verdicts=$(sed -n '/<svg id="chart-verdicts"/,/<\/svg>/p' dom.html |
	grep -o 'data-count="[0-9]*"' | sed 's/[^0-9]//g' | awk '{s+=$1} END {print s}')
[ "$verdicts" = 10 ] && pass "the verdict chart counts every repository" ||
	fail "verdict chart sums to $verdicts"
sed -n '/<svg id="chart-verdicts"/,/<\/svg>/p' dom.html | grep -q 'data-label="leak" data-count="2"' &&
	pass "the verdict chart shows the leaks" || fail "no leaks in the verdict chart"
sed -n '/<svg id="chart-age"/,/<\/svg>/p' dom.html | grep -q 'data-label="no SECURITY.md"' &&
	pass "the age chart says 'no SECURITY.md'" || fail "age chart labels"
# the leaks per identifier lead the page
first=$(grep -o 'id="leaks"\|id="totals"\|id="audit"' dom.html | head -n 1)
[ "$first" = 'id="leaks"' ] && pass "the leaks per identifier come first" || fail "first section: $first"
grep -q '<tr data-identifier="CVE-2026-1002"><td class="id" data-label="Identifier">CVE-2026-1002</td><td data-label="Repositories"><b>1</b>: org/leaky</td>' dom.html &&
	pass "a leak's repositories are listed" || fail "leak row of CVE-2026-1002"
grep -q '<td data-label="Commit dates">2026-05-03</td><td data-label="Refs">refs/heads/wip</td>' dom.html &&
	pass "...with its commit date and the ref that reaches it" || fail "dates and refs"
ages=$(sed -n '/<svg id="chart-age"/,/<\/svg>/p' dom.html |
	grep -o 'data-count="[0-9]*"' | sed 's/[^0-9]//g' | awk '{s+=$1} END {print s}')
[ "$ages" = 8 ] && pass "the age chart counts every audited repository" ||
	fail "age chart sums to $ages"
grep -q 'Acme &lt;audit&gt;' dom.html && pass "the title is escaped" || fail "title"

# self-contained: nothing that could be fetched
if grep -Eiq '<link|<img|<iframe| src=|url\(|@import|https?://[^" ]*\.(js|css)' report.html; then
	fail "the page references something outside itself"
else
	pass "no external reference in the page"
fi
grep -q "default-src 'none'" report.html && pass "CSP forbids every fetch" || fail "no CSP"

# the script sorts by findings (descending) and filters
browse --dump-dom "file://$SCRATCH/report.html#selftest" >self.html 2>/dev/null
sed -n '/<pre id="selftest">/,/<\/pre>/p' self.html | sed 's/<[^>]*>//g' | grep . >self.txt
[ -s self.txt ] && pass "self-test ran" || fail "self-test output empty"
# failing: not audited, policy error, or public with findings
grep -e '"verdict":"leak"' -e '"verdict":"error"' -e '"verdict":"incomplete"' -e '"verdict":"not-audited"' all.json |
	sed 's/.*"repository":"\([^"]*\)".*/\1/' | sort >fail.want
grep '^failing:' self.txt | sed 's/^failing://; s/=.*//' | sort >fail.got
cmp -s fail.got fail.want && pass "filter 'failing' shows the failing rows of the JSON" ||
	fail "failing: $(tr '\n' ' ' <fail.got) != $(tr '\n' ' ' <fail.want)"
sorted=$(grep '^failing:' self.txt | sed 's/.*=//' | tr '\n' ' ')
prev=999999 ok=1
for n in $sorted; do
	[ "$n" -le "$prev" ] || ok=0
	prev=$n
done
[ $ok = 1 ] && [ -n "$sorted" ] && pass "sorted by findings, descending ($sorted)" ||
	fail "not sorted: $sorted"
[ "$(grep '^text:' self.txt)" = "text:org/tagged=1" ] &&
	pass "text filter (any case) finds one repository" || fail "text: $(grep '^text:' self.txt)"
[ "$(grep '^private:' self.txt)" = "private:org/secret=1" ] &&
	pass "access filter shows the private repository" || fail "private: $(grep '^private:' self.txt)"

# a repository with many findings: the page shows ten and folds the rest
git init -q big/many
good_policy big/many
git -C big/many add -A
org_commit big/many 2026-05-01 "Policy"
i=0
while [ $i -lt 150 ]; do
	org_commit big/many 2026-05-02 "Part $i of the CVE-2026-1001 fix"
	i=$((i + 1))
done
git embargo audit $L --format html --output big.html big org 2>/dev/null
git embargo audit $L big >big.txt 2>/dev/null
grep -q '^    ... and 140 more$' big.txt && pass "text: 150 findings fold to ten and 'and 140 more'" ||
	fail "text fold: $(grep -c CVE big.txt) lines"
grep -q '<details><summary>and 140 more</summary>' big.html &&
	pass "html: the other 140 fold into an expandable list" || fail "html fold"

# the layout at a laptop's and at a phone's width: nothing wider than
# the space it has (no sideways scrolling).  A headless window is at
# least 500 px wide, so for 420 px the page's own main column is narrowed
# (#width=420); the layout follows its container, as on a phone.
browse --window-size=1400,1000 --dump-dom "file://$SCRATCH/big.html" >w1400.html 2>/dev/null
vw=$(sed -n 's/.*data-viewport="\([0-9]*\)".*/\1/p' w1400.html | head -n 1)
sw=$(sed -n 's/.*data-scroll-width="\([0-9]*\)".*/\1/p' w1400.html | head -n 1)
[ "$vw" = 1400 ] && [ -n "$sw" ] && [ "$sw" -le "$vw" ] &&
	pass "at 1400 px the page fits the window (content $sw px)" ||
	fail "at 1400 px: content '$sw' px in a window of '$vw' px"
for w in 1400 420; do
	browse --window-size=1400,1000 --dump-dom "file://$SCRATCH/big.html#width=$w" >m$w.html 2>/dev/null
	mw=$(sed -n 's/.*data-main-width="\([0-9]*\)".*/\1/p' m$w.html | head -n 1)
	ms=$(sed -n 's/.*data-main-scroll-width="\([0-9]*\)".*/\1/p' m$w.html | head -n 1)
	[ "$mw" = "$w" ] && [ -n "$ms" ] && [ "$ms" -le "$mw" ] &&
		pass "in $w px the report fits (content $ms px)" ||
		fail "in $w px: content '$ms' px in '$mw' px"
done
grep -q 'data-cards="0"' m1400.html && pass "1400 px wide: a table" ||
	fail "1400 px wide: not a table"
grep -q 'data-cards="1"' m420.html && pass "420 px wide: one card per repository" ||
	fail "420 px wide: not cards"
browse --window-size=1400,1600 --screenshot="$SCRATCH/shot1400.png" \
	"file://$SCRATCH/big.html" >/dev/null 2>&1
[ -s shot1400.png ] && pass "screenshot rendered" || fail "no screenshot"
[ -n "${AUDIT_HTML_KEEP:-}" ] && cp report.html big.html shot1400.png "$AUDIT_HTML_KEEP"/

finish
