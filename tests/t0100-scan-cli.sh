#!/bin/sh
# `git embargo scan` from the command line, run by git itself: exit
# codes, the three formats, colour, and errors that name what is wrong.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
cat >list <<'LIST'
[embargo "CVE-2026-31337"]
	until = 2099-12-31
	alias = Bleeding Heart
[embargo "SEC-1042"]
LIST
git init -q repo && cd repo
echo hello >a.txt && git add a.txt && git commit -q -m "clean start"

expect "clean history exits 0" 0 git embargo scan --list ../list
[ -z "$OUT" ] && pass "clean scan prints nothing" || fail "clean scan printed: $OUT"

echo "fix CVE-2026-31337" >>a.txt
git commit -q -am "Fix Bleeding Heart overflow"
expect "findings exit 1" 1 git embargo scan --list ../list
contains "text names the identifier and date" "CVE-2026-31337  embargoed until 2099-12-31"
contains "text names the added line" "a.txt:2 (added): fix CVE-2026-31337"
contains "text names the message line" "\"Fix Bleeding Heart overflow\": message line 1"
contains "text says how it matched" "(as 'Bleeding Heart')"
contains "text counts" "2 references to embargoed issues in 2 commits"
lacks "no colour with NO_COLOR" "$(printf '\033[')"

# colour: only on a terminal (script(1) gives one), never with NO_COLOR
if have_pty; then
	esc=$(printf '\033[')
	OUT=$(env -u NO_COLOR TERM=xterm script -qec "git embargo scan --list ../list" /dev/null </dev/null 2>&1)
	contains "colour on a terminal" "$esc"
	OUT=$(env NO_COLOR=1 TERM=xterm script -qec "git embargo scan --list ../list" /dev/null </dev/null 2>&1)
	lacks "no colour with NO_COLOR, even on a terminal" "$esc"
else
	skip "colour on a terminal" "no pseudo-terminal here (script(1) cannot open one)"
fi

expect "json exits 1" 1 git embargo scan --list ../list --format json
printf '%s\n' "$OUT" >../scan.json
expect "json parses" 0 sh -c "grep -q '\"findings\"' ../scan.json && \
	grep -q '\"kind\": \"line\"' ../scan.json && \
	grep -q '\"path\": \"a.txt\"' ../scan.json && \
	grep -q '\"until\": \"2099-12-31\"' ../scan.json && \
	grep -q '\"commits_scanned\": 2' ../scan.json"

expect "sarif exits 1" 1 git embargo scan --list ../list --format sarif
printf '%s\n' "$OUT" >../scan.sarif
contains "sarif version" "\"version\": \"2.1.0\""
contains "sarif rule" "\"ruleId\": \"embargoed-reference\""
contains "sarif file location" "\"uri\": \"a.txt\""
contains "sarif line" "\"startLine\": 2"

expect "--no-diffs leaves out added lines" 1 git embargo scan --list ../list --no-diffs
lacks "--no-diffs: no line findings" "(added)"

expect "a range" 0 git embargo scan --list ../list HEAD~1..HEAD~1
expect "list from GIT_EMBARGO_LIST" 1 env GIT_EMBARGO_LIST=../list git embargo scan
git config embargo.list "$SCRATCH/list"
expect "list from embargo.list" 1 git embargo scan
git config --unset embargo.list

expect "expired entries are ignored" 0 env GIT_EMBARGO_NOW=2100-01-01 \
	git embargo scan --list ../list HEAD~1..HEAD -- 2>/dev/null
expect "verbose reports lifted embargoes" 0 env GIT_EMBARGO_NOW=2100-01-01 \
	git embargo scan --list ../list --verbose
contains "lifted note names the entry" "embargo on 'CVE-2026-31337' lifted at 2099-12-31"

# configuration errors: exit 2, one line naming the file and line
expect "no list is an error" 2 git embargo scan
contains "no list message" "git-embargo: no embargo list: give --list FILE"
printf '[embargo "CVE-2026-1"]\n\tuntil = tomorrow\n' >../bad
expect "bad list exits 2" 2 git embargo scan --list ../bad
contains "bad list names file and line" "git-embargo: bad embargo list '../bad': line 2: bad date 'tomorrow'"
expect "unknown format" 2 git embargo scan --list ../list --format xml
expect "bad thread count" 2 git embargo scan --list ../list --threads=two
contains "bad thread count named" "--threads: 'two' is not a number from 1 to 64"
expect "one thread finds the same" 1 git embargo scan --list ../list --threads=1
expect "bad revision exits 3" 3 git embargo scan --list ../list nosuchbranch
contains "bad revision named" "bad revision 'nosuchbranch'"
expect "unknown command" 2 git embargo frobnicate

cd "$SCRATCH"
mkdir notrepo
expect "not a repository exits 3" 3 sh -c "cd notrepo && git-embargo scan --list ../list"
contains "not a repository names the folder" "not a git repository: '$SCRATCH/notrepo'"

expect "hash prints a list entry" 0 git embargo hash CVE-2026-31337
want=$(printf %s CVE-2026-31337 | sha256sum | cut -c1-64)
contains "hash is sha256 of the canonical form" "[embargo \"sha256:$want\"]"
expect "hash canonicalises" 0 git embargo hash cve_2026_31337
contains "hash of a variant is the same" "$want"
lacks "hash never prints the identifier" "31337"
expect "hash folds a Unicode spelling" 0 git embargo hash "CVE$(printf '\342\200\223')2026$(printf '\342\200\223')31337"
contains "hash of a Unicode spelling is the same" "$want"
expect "hash of several ids" 0 git embargo hash SEC-1042 CVE-2026-31337
lacks "several ids, no plaintext either" "SEC"
[ "$(printf '%s\n' "$OUT" | wc -l)" = 2 ] && pass "one line per id" ||
	fail "hash of two ids printed: $OUT"
expect "hash refuses what no shape finds" 2 git embargo hash 1234-5678
contains "the refusal says why" "no identifier shape finds it in text"
lacks "the refusal does not quote the id" "1234"
git -C repo config embargo.idPattern '[0-9]{4}-[0-9]{4}'
expect "an embargo.idPattern that finds it" 0 \
	sh -c "cd repo && git embargo hash 1234-5678"
git -C repo config --unset embargo.idPattern
expect "list command checks a list" 0 git embargo list --list list
contains "list shows entries" "2 entries, 2 in force"

finish
