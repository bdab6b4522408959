#!/bin/sh
# t5590-hook-spellings.sh - the spellings people really produce, pushed
# for real into a bare repository with the pre-receive hook: Unicode
# dashes, spaces, invisible and full-width characters, identifiers
# without separators and inside program names, in messages and in
# files, for plain, hashed and alias entries.  Each is rejected; each
# near miss lands.  `scan --all` over a repository holding every
# rejected spelling finds each of them, and over the server (near misses
# only) finds nothing.
. "$(dirname "$0")/t-hook-lib.sh"

cat >>"$LIST" <<'EOF'
[embargo "SEC-1042"]
[embargo "GHSA-4f5x-abcd-9xyz"]
[embargo "CVE-2026-4242"]
	alias = Bleeding Heart
EOF
git embargo hash OPS-77 >>"$LIST"

server_and_dev
git init -q "$SCRATCH/all"
commit "$SCRATCH/all" "Initial import" >/dev/null

u() { printf "$1"; }
EN=$(u '\342\200\223') EM=$(u '\342\200\224') NBH=$(u '\342\200\221')
HY=$(u '\342\200\220') MINUS=$(u '\342\210\222') SHY=$(u '\302\255')
NBSP=$(u '\302\240') THIN=$(u '\342\200\211') ZWSP=$(u '\342\200\213')
ZWJ=$(u '\342\200\215') WJ=$(u '\342\201\240') BOM=$(u '\357\273\277')
FWDASH=$(u '\357\274\215')
# full width: C V E, digits 0-9
FC=$(u '\357\274\243') FV=$(u '\357\274\266') FE=$(u '\357\274\245')
f() { for d in $(echo "$1" | sed 's/./& /g'); do u "\\357\\274\\$(printf %o $((0x90 + d)))"; done; }

# Push a commit carrying text $2 in its message (where $1 = message) or
# in a new file; a rejected commit is taken back out of dev.
push_text() {
	if [ "$1" = message ]; then
		commit dev "$2"
	else
		commit dev "Add a test" "$2"
	fi >/dev/null &&
	if git -C dev push origin main 2>err; then
		return 0
	fi
	git -C dev reset -q --hard HEAD~1
	return 1
}

nblocked=0
block() {
	W=$2 T=$3
	scenario "$1 ($2) is rejected" '
		! push_text "$W" "$T" &&
		has err "remote: git-embargo: push rejected" &&
		has err "pre-receive hook declined"
	'
	nblocked=$((nblocked + 1))
	if [ "$W" = message ]; then
		commit "$SCRATCH/all" "$T"
	else
		commit "$SCRATCH/all" "Add a test" "$T"
	fi >/dev/null
}

allow() {
	W=$2 T=$3
	scenario "near miss $1 ($2) lands" '
		push_text "$W" "$T" &&
		hasnt err git-embargo &&
		test "$(rev srv.git main)" = "$(rev dev main)"
	'
}

# Unicode separators and look-alikes
block 'en dash' message "Fix CVE${EN}2026${EN}31337"
block 'em dash' file "see CVE${EM}2026${EM}31337"
block 'U+2010 hyphen' message "CVE${HY}2026${HY}31337 fixed"
block 'U+2011 non-breaking hyphen' file "SEC${NBH}1042"
block 'minus sign' message "SEC${MINUS}1042"
block 'soft hyphen inside' file "CVE-20${SHY}26-31337"
block 'no-break space' message "SEC${NBSP}1042 overflow"
block 'thin space' file "CVE${THIN}2026${THIN}31337"
block 'zero-width space inside' message "CVE-2026-313${ZWSP}37"
block 'zero-width joiner and word joiner' file "S${ZWJ}EC-10${WJ}42"
block 'byte-order mark before' message "${BOM}SEC-1042"
block 'full-width' file "${FC}${FV}${FE}${FWDASH}$(f 2026)${FWDASH}$(f 31337)"
block 'full-width dash only' message "GHSA${FWDASH}4f5x${FWDASH}abcd${FWDASH}9xyz"
block 'Cyrillic look-alike C' message "Fix $(u '\320\241')VE-2026-31337"
block 'look-alikes only, then a number' file "$(u '\320\205\320\225\320\241')-1042"
# no separator
block 'CVE without separators' message "Fix CVE202631337"
block 'tracker id without separator' file "SEC1042"
block 'GHSA without dashes' message "GHSA4f5xabcd9xyz"
# inside program names
block 'TestCVE_2026_31337' file "void TestCVE_2026_31337(void);"
block 'test_sec_1042_overflow' file "def test_sec_1042_overflow():"
block 'testSec1042Overflow' message "Add testSec1042Overflow"
block 'CVE_2026_31337Test' file "class CVE_2026_31337Test {}"
# hashed entries and aliases get the same
block 'hashed id with an en dash' message "OPS${EN}77 done"
block 'hashed id in a program name' file "func testOps77Regression()"
block 'hashed id without separator' message "OPS77"
block 'alias with a no-break space' message "Fix Bleeding${NBSP}Heart"
block 'alias in full-width letters' file "$(u '\357\274\242')leeding Heart"
block 'alias with a dash between its words' file "see bleeding-heart.patch"
block 'alias with no space' message "Fix BleedingHeart"
block 'alias in a camelCase name' file "void testBleedingHeartOverflow(void);"

# near misses stay quiet
allow 'CVE-2026-313370' message "Fix CVE-2026-313370"
allow 'CVE2026313370' file "CVE2026313370"
allow 'SEC10420' message "SEC10420 and SEC104"
allow 'XSEC1042' file "XSEC1042 ASEC-1042"
allow 'testsec1042' message "testsec1042 TESTSEC1042"
allow 'CVE-2026-31337test' file "CVE-2026-31337test testSec1042overflow"
allow 'an en dash with a digit more' message "CVE${EN}2026${EN}313370"
allow 'full-width with a digit more' file "$(f 2026)$(f 313370) SEC${FWDASH}10420"
allow 'OPS770' message "OPS770 testOps770"
allow 'a look-alike X before SEC1042' file "$(u '\320\245')SEC1042"
allow 'alias inside longer words' message "bleedinghearts unbleeding heart"

scenario 'a branch named after an alias is rejected' '
	! git -C dev push origin main:refs/heads/fix/bleeding-heart 2>err &&
	has err "remote: git-embargo: push rejected" &&
	! git -C srv.git rev-parse -q --verify fix/bleeding-heart
'

scenario 'scan --all finds every rejected spelling, once each' '
	(cd all && git embargo scan --all --format json >../all.json; test $? = 1) &&
	n=$(grep -c "\"commit\": " all.json) &&
	c=$(grep "\"commit\": " all.json | sort -u | wc -l) &&
	test "$c" = "$nblocked" || { echo "$c commits with findings, $n findings, $nblocked rejected"; false; }
'

scenario 'scan --all of the server (near misses only) finds nothing' '
	(cd srv.git && git embargo scan --all) &&
	test "$(git -C srv.git rev-list --count main)" = 12
'

finish
