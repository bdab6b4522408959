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
for k in repositories clean policy_errors with_findings errors; do
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
grep -e '"error":"' -e '"status":"error"' -e '"public":true.*"findings":\[{' all.json |
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

# a screenshot renders (the layout is readable at a laptop's width)
browse --window-size=1280,1600 --screenshot="$SCRATCH/shot.png" \
	"file://$SCRATCH/report.html" >/dev/null 2>&1
[ -s shot.png ] && pass "screenshot rendered" || fail "no screenshot"
[ -n "${AUDIT_HTML_KEEP:-}" ] && cp report.html shot.png "$AUDIT_HTML_KEEP"/

finish
