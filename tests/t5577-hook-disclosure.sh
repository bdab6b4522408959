#!/bin/sh
# t5577-hook-disclosure.sh - what a server's rejection tells the pusher
# (docs/hooks.md, "What a rejection reveals"): the places and the text
# there as pushed, never the identifier an alias, pattern or hash stands
# for, nor dates, notes, list paths or patterns, unless
# embargo.revealIds; a probe (more than three different texts) gets a
# count only.  Real pushes into a bare repository with pre-receive.
. "$(dirname "$0")/t-hook-lib.sh"

HASHED=$(git embargo hash SEC-1042 | sed 's/^\[embargo "\(sha256:[0-9a-f]*\)"\].*/\1/')
cat >"$SCRATCH/server.list" <<EOF
[embargo "CVE-2026-31337"]
	until = 2026-12-31
	alias = Bleeding Heart
	note = heap overflow in the parser, ticket SEC-88
[embargo "CVE-2026-40001"]
	until = 2026-11-30
	pattern = quiet[- ]?storm
[embargo "CVE-2026-40002"]
[embargo "CVE-2026-40003"]
[embargo "$HASHED"]
	until = 2027-01-15
EOF

git init -q --bare "$SCRATCH/srv.git"
git -C "$SCRATCH/srv.git" embargo install >/dev/null
git -C "$SCRATCH/srv.git" config embargo.list "$SCRATCH/server.list"
git config --global --unset embargo.list
git init -q "$SCRATCH/dev"
git -C "$SCRATCH/dev" remote add origin "file://$SCRATCH/srv.git"
commit "$SCRATCH/dev" "Initial import" >/dev/null
git -C "$SCRATCH/dev" push -q origin main 2>/dev/null

# nothing of the list's side reached the pusher
nothing_of_the_list() {
	hasnt "$1" "embargoed until" && hasnt "$1" "2026-12-31" &&
	hasnt "$1" "2026-11-30" && hasnt "$1" "2027-01-15" &&
	hasnt "$1" "heap overflow" && hasnt "$1" "SEC-88" &&
	hasnt "$1" "server.list" && hasnt "$1" "quiet[- ]?storm" &&
	hasnt "$1" "sha256:" && hasnt "$1" "hashed entry"
}

scenario 'an alias: its place and text, not the identifier it stands for' '
	commit dev "Mitigate Bleeding Heart in the parser" &&
	short=$(git -C dev rev-parse --short=7 HEAD) &&
	! git -C dev push origin main 2>err &&
	has err "remote:     commit $short \"Mitigate Bleeding Heart in the parser\": message line 1: '\''Bleeding Heart'\''" &&
	hasnt err "CVE-2026-31337" && nothing_of_the_list err &&
	has err "or wait until the embargo ends" &&
	git -C dev reset -q --hard HEAD~1
'

scenario 'a pattern and a hashed entry: the text as pushed, nothing more' '
	commit dev "Docs" "see quiet-storm and sec_1042 here" &&
	! git -C dev push origin main 2>err &&
	has err ": file-" &&
	has err ":1 (added): '\''quiet-storm'\''" &&
	has err ":1 (added): '\''sec_1042'\''" &&
	hasnt err "CVE-2026-40001" && hasnt err "SEC-1042" &&
	nothing_of_the_list err &&
	git -C dev reset -q --hard HEAD~1
'

scenario 'an alias and its identifier in one push are not grouped together' '
	commit dev "Bleeding Heart" &&
	commit dev "Fix CVE-2026-31337" &&
	! git -C dev push origin main 2>err &&
	test "$(grep -c "^remote:     commit" err)" = 2 &&
	has err "\"Bleeding Heart\": message line 1: '\''Bleeding Heart'\''" &&
	has err "\"Fix CVE-2026-31337\": message line 1: '\''CVE-2026-31337'\''" &&
	nothing_of_the_list err &&
	git -C dev reset -q --hard HEAD~2
'

scenario 'a probe listing many identifiers gets a count, not which matched' '
	seq 31330 31340 | sed "s/^/CVE-2026-/" >dev/probe.txt &&
	seq 40000 40005 | sed "s/^/CVE-2026-/" >>dev/probe.txt &&
	git -C dev add probe.txt && git -C dev commit -q -m "Probe" &&
	! git -C dev push origin main 2>err &&
	has err "remote:     4 places in this push name embargoed security issues, in more than 3 different texts" &&
	hasnt err "probe.txt" && hasnt err "CVE-2026-" && hasnt err ":1" &&
	nothing_of_the_list err &&
	has err "check the commits against the embargo list" &&
	hasnt err "reword" &&
	git -C dev reset -q --hard HEAD~1
'

scenario 'near miss: three different texts are still named' '
	commit dev "Fix CVE-2026-40002, cve_2026_40002 and CVE-2026-40003 (quiet storm)" &&
	! git -C dev push origin main 2>err &&
	has err ": message line 1: '\''CVE-2026-40002'\''" &&
	has err ": message line 1: '\''cve_2026_40002'\''" &&
	has err ": message line 1: '\''quiet storm'\''" &&
	nothing_of_the_list err &&
	git -C dev reset -q --hard HEAD~1
'

scenario 'embargo.revealIds: the full report' '
	git -C srv.git config embargo.revealIds true &&
	commit dev "Mitigate Bleeding Heart (sec-1042)" &&
	! git -C dev push origin main 2>err &&
	has err "remote:     CVE-2026-31337  embargoed until 2026-12-31" &&
	has err "(as '\''Bleeding Heart'\'')" &&
	has err "SEC-1042  embargoed until 2027-01-15" && has err "(hashed entry)" &&
	git -C dev reset -q --hard HEAD~1 &&
	seq 40000 40005 | sed "s/^/CVE-2026-/" >dev/probe.txt &&
	git -C dev add probe.txt && git -C dev commit -q -m "Probe" &&
	! git -C dev push origin main 2>err &&
	has err "CVE-2026-40003  embargoed until removed from the list" &&
	git -C dev reset -q --hard HEAD~1 &&
	git -C srv.git config --unset embargo.revealIds
'

scenario 'scan finds what the hook blocks, and names it to whoever has the list' '
	commit dev "Mitigate Bleeding Heart in the parser" &&
	! git -C dev push origin main 2>err &&
	git -C dev embargo scan --list "$SCRATCH/server.list" main~1..main >out;
	test $? = 1 &&
	has out "CVE-2026-31337" && has out "(as '\''Bleeding Heart'\'')" &&
	git -C dev reset -q --hard HEAD~1
'

scenario 'a pattern that does not compile: the pusher is not shown it' '
	cp server.list broken.list &&
	printf "[embargo \"CVE-2026-5\"]\n\tpattern = (unclosed\n" >>broken.list &&
	git -C srv.git config embargo.list "$SCRATCH/broken.list" &&
	commit dev "Clean" &&
	! git -C dev push origin main 2>err &&
	has err "push rejected: cannot check it: the embargo settings of this server are broken" &&
	hasnt err "unclosed" && hasnt err "broken.list" &&
	{ git -C srv.git embargo list >out 2>&1; has out "broken.list"; } &&
	git -C srv.git config embargo.list "$SCRATCH/server.list"
'

scenario 'a pattern that runs away: the pusher is not shown it either' '
	cp server.list slow.list &&
	printf "[embargo \"CVE-2026-6\"]\n\tpattern = (a|aa)+\$\n" >>slow.list &&
	git -C srv.git config embargo.list "$SCRATCH/slow.list" &&
	git -C dev reset -q --hard HEAD~1 &&
	commit dev "Long line" "$(printf "a%.0s" $(seq 1 5000))b" &&
	! git -C dev push origin main 2>err &&
	has err "the embargo settings of this server are broken" &&
	hasnt err "(a|aa)" && hasnt err "slow.list" &&
	git -C srv.git config embargo.revealIds true &&
	! git -C dev push origin main 2>err &&
	has err "(a|aa)" && has err "slow.list" &&
	git -C srv.git config --unset embargo.revealIds &&
	git -C srv.git config embargo.list "$SCRATCH/server.list"
'

finish
