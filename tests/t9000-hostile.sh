#!/bin/sh
# t9000-hostile.sh - hostile and broken input, end to end: damaged and
# absurd repositories, bad embargo lists, malformed hook input, and what a
# rejection reveals.  Each case checks what a user wants to see: one line
# naming the object, file or line, the documented exit status (0 clean,
# 1 findings, 2 usage or configuration, 3 repository), and in the server
# hook a rejected push.  docs/threat-model.md names these scenarios.
. "$(dirname "$0")/t-hook-lib.sh"

cd "$SCRATCH" || exit 1
Z=0000000000000000000000000000000000000000

# scan_expect NAME STATUS DIR ARGS...: `git embargo scan ARGS` in DIR
scan_in() { (cd "$1" && shift && git embargo scan "$@"); }

# the number of lines of a file
lines() { wc -l <"$1" | tr -d ' '; }

# a work tree with two commits, the second adding file b
git init -q r
commit r "Initial import" >/dev/null
commit r "Add b" "content of b" >/dev/null

# ---- repositories ------------------------------------------------------

scenario 'repository: a corrupt loose object is named, exit 3' '
	git clone -q r corrupt &&
	git -C corrupt repack -qad && git -C corrupt prune-packed &&
	commit corrupt "One more" "loose content" &&
	blob=$(git -C corrupt rev-parse HEAD:file-3) &&
	f=corrupt/.git/objects/$(echo $blob | cut -c1-2)/$(echo $blob | cut -c3-) &&
	chmod u+w "$f" && printf garbage >"$f" &&
	(cd corrupt && git embargo scan >../out 2>../err); test $? = 3 &&
	test "$(lines err)" = 1 && has err "$blob" && has err "file-3"
'

scenario 'repository: a truncated pack is an error naming an object, exit 3' '
	git clone -q r trunc && git -C trunc repack -qad &&
	p=$(ls trunc/.git/objects/pack/*.pack) &&
	chmod u+w "$p" && truncate -s $(( $(stat -c %s "$p") / 2 )) "$p" &&
	(cd trunc && git embargo scan >../out 2>../err); test $? = 3 &&
	test "$(lines err)" = 1 && grep -q "cannot read [0-9a-f]\{40\}" err
'

scenario 'repository: a shallow clone scans what it has, no error' '
	git init -q deep0 &&
	for i in 1 2 3 4; do commit deep0 "Work $i (CVE-2026-31337)" >/dev/null; done &&
	git clone -q --depth 2 "file://$SCRATCH/deep0" shallow &&
	(cd shallow && git embargo scan >../out 2>../err); test $? = 1 &&
	has out "Work 4 (CVE-2026-31337)" && has out "Work 3 (CVE-2026-31337)" &&
	hasnt out "Work 2"
'

scenario 'repository: a push from a shallow clone past its boundary is rejected' '
	git -C shallow commit -q --allow-empty -m "Clean on top" &&
	git -C shallow embargo install >/dev/null &&
	git init -q --bare fresh.git &&
	! git -C shallow push "$SCRATCH/fresh.git" HEAD:refs/heads/main 2>err &&
	test -z "$(rev fresh.git main)"
'

# 10 MiB of message with the identifier at its very end
head -c 10485760 /dev/zero | tr "\0" "x" >big-msg
printf '\n\nFixes CVE-2026-31337\n' >>big-msg

scenario 'repository: a 10 MiB message is scanned to its end' '
	git clone -q r bigmsg &&
	git -C bigmsg commit -q --allow-empty -F "$SCRATCH/big-msg" &&
	(cd bigmsg && git embargo scan --format json >../out 2>../err); test $? = 1 &&
	jq -e ".findings[0].identifier == \"CVE-2026-31337\" and .findings[0].kind == \"message\"" out >/dev/null
'

scenario 'server: a push with a 10 MiB message naming an issue is rejected in a few lines' '
	git init -q --bare big.git && git -C big.git embargo install >/dev/null &&
	! git -C bigmsg push "$SCRATCH/big.git" HEAD:refs/heads/main 2>err &&
	test "$(wc -c <err)" -lt 4096 &&
	has err "push rejected" && has err "message line 3: '\''CVE-2026-31337'\''" &&
	test -z "$(rev big.git main)"
'

scenario 'repository: a tree of 100,000 entries, one path naming an issue' '
	git init -q wide &&
	blob=$(echo same | git -C wide hash-object -w --stdin) &&
	awk -v b=$blob "BEGIN { for (i = 0; i < 100000; i++) printf \"100644 blob %s\tf%06d\n\", b, i;
		printf \"100644 blob %s\tnotes-CVE-2026-31337.txt\n\", b }" |
		git -C wide mktree >tree &&
	c=$(git -C wide commit-tree -m "Wide tree" "$(cat tree)") &&
	git -C wide update-ref refs/heads/main $c &&
	(cd wide && git embargo scan --format json >../out 2>../err); test $? = 1 &&
	jq -e "[.findings[] | select(.kind == \"path\")] | length == 1" out >/dev/null
'

scenario 'repository: a 1 GiB sparse blob is not read whole (peak memory under 256 MiB)' '
	git init -q sparse && truncate -s 1G sparse/huge &&
	printf "CVE-2026-31337\n" | dd of=sparse/huge conv=notrunc status=none &&
	git -C sparse add huge && git -C sparse commit -q -m "Add a huge file" &&
	rm sparse/huge &&
	(cd sparse && /usr/bin/time -f %M -o ../rss git embargo scan >../out 2>../err); st=$? &&
	cat err && test $st -le 1 &&
	test "$(tail -n 1 rss)" -lt 262144
'

# a history of 2,000 merges, each bringing in one side commit; the oldest
# side commit names an issue
{
	echo "reset refs/heads/main"
	echo "commit refs/heads/main"; echo "mark :1"
	echo "committer C <c@example.org> 1767225600 +0000"
	echo "data 4"; echo root; echo
	i=1 m=1
	while [ $i -le 2000 ]; do
		side=$((m + 1)) merge=$((m + 2))
		msg="side $i"; [ $i = 1 ] && msg="side $i: CVE-2026-31337"
		echo "commit refs/heads/side"; echo "mark :$side"
		echo "committer C <c@example.org> $((1767225600 + i * 2)) +0000"
		echo "data ${#msg}"; echo "$msg"; echo "from :$m"; echo
		echo "commit refs/heads/main"; echo "mark :$merge"
		echo "committer C <c@example.org> $((1767225601 + i * 2)) +0000"
		echo "data 5"; echo merge; echo "from :$m"; echo "merge :$side"; echo
		m=$merge i=$((i + 1))
	done
} >merges.fi

scenario 'repository: 2,000 merges deep, the oldest side commit is found' '
	git init -q merges && git -C merges fast-import --quiet <merges.fi &&
	git -C merges branch -q -D side &&
	(cd merges && git embargo scan --format json >../out 2>../err); test $? = 1 &&
	jq -e "[.findings[] | select(.subject == \"side 1: CVE-2026-31337\")] | length == 1" out >/dev/null &&
	jq -e ".summary.commits_scanned == 4001" out >/dev/null
'

scenario 'repository: non-UTF-8 and NUL bytes in a message and a path' '
	git init -q bytes &&
	blob=$(echo x | git -C bytes hash-object -w --stdin) &&
	printf "100644 blob %s\tbad-\377\376-CVE-2026-31337\n" $blob | git -C bytes mktree >tree &&
	printf "tree %s\nauthor A <a@example.org> 1767225600 +0000\ncommitter C <c@example.org> 1767225600 +0000\n\nLatin-1 caf\351 and a NUL \000 then CVE-2026-31337\n" "$(cat tree)" >raw &&
	c=$(git -C bytes hash-object -t commit -w --literally --stdin <raw) &&
	git -C bytes update-ref refs/heads/main $c &&
	(cd bytes && git embargo scan --format json >../out 2>../err); test $? = 1 &&
	jq -e "[.findings[] | select(.kind == \"message\")] | length == 1" out >/dev/null &&
	jq -e "[.findings[] | select(.kind == \"path\")] | length == 1" out >/dev/null &&
	(cd bytes && git embargo scan >../out.txt 2>../err); test $? = 1 &&
	has out.txt "CVE-2026-31337"
'

# a ref name at git's limits: 255-byte components, 4,000 bytes in all
long=$(awk "BEGIN { for (i = 0; i < 15; i++) { s = s sprintf(\"%0250d/\", i) } print s }")
long="refs/heads/${long}fix-CVE-2026-31337"

scenario 'repository: a ref name of 3,800 bytes naming an issue is rejected' '
	test ${#long} -gt 3700 &&
	git init -q --bare refs.git && git -C refs.git embargo install >/dev/null &&
	git clone -q r refsrc &&
	! git -C refsrc push "$SCRATCH/refs.git" "HEAD:$long" 2>err &&
	has err "push rejected" && has err "fix-CVE-2026-31337" &&
	test -z "$(git -C refs.git for-each-ref)"
'

# ---- embargo lists -----------------------------------------------------

scenario 'list: a directory is named, exit 2' '
	mkdir adir &&
	(cd r && git embargo scan --list ../adir >../out 2>../err); test $? = 2 &&
	test "$(lines err)" = 1 && has err "cannot read embargo list" && has err "adir"
'

scenario 'list: a missing or unreadable file is named, exit 2' '
	ln -s nowhere dangling.list &&
	(cd r && git embargo scan --list ../dangling.list >../out 2>../err); test $? = 2 &&
	has err "cannot read embargo list" && has err "dangling.list" &&
	if [ "$(id -u)" != 0 ]; then
		echo "[embargo \"CVE-2026-1\"]" >locked.list && chmod 000 locked.list &&
		(cd r && git embargo scan --list ../locked.list 2>../err); test $? = 2 &&
		has err "locked.list"
	fi
'

scenario 'list: binary garbage is named with its line, exit 2' '
	awk "BEGIN { srand(7); for (i = 0; i < 3000; i++) printf \"%c\", int(rand() * 255) + 1 }" >garbage.list &&
	(cd r && git embargo scan --list ../garbage.list >../out 2>../err); test $? = 2 &&
	test "$(lines err)" = 1 && has err "garbage.list" && grep -q "garbage.list:[0-9]" err
'

scenario 'server: a list of binary garbage rejects every push, without naming the list' '
	git init -q --bare lists.git && git -C lists.git embargo install >/dev/null &&
	git -C lists.git config embargo.list "$SCRATCH/garbage.list" &&
	! git -C r push "$SCRATCH/lists.git" main 2>err &&
	has err "push rejected: cannot check it: the embargo settings of this server are broken" &&
	hasnt err "garbage.list" &&
	test -z "$(rev lists.git main)"
'

scenario 'list: one id twice in a file: the last date wins, as in git config' '
	printf "[embargo \"CVE-2026-1\"]\n\tuntil = 2026-12-31\n[embargo \"CVE-2026-1\"]\n\tuntil = 2026-11-30\n" >dup.list &&
	(cd r && git embargo list --list ../dup.list >../out 2>../err) &&
	has out "2026-11-30   CVE-2026-1" && hasnt out "2026-12-31" && has out "1 entries"
'

scenario 'list: one id in two files with different dates: the longer embargo holds' '
	printf "[embargo \"cve_2026_1\"]\n\tuntil = 2026-12-31\n" >later.list &&
	(cd r && git embargo list --list ../dup.list --list ../later.list >../out 2>../err) &&
	has out "2026-12-31" && has out "1 entries" &&
	(cd r && git embargo list --list ../later.list --list ../dup.list >../out 2>../err) &&
	has out "2026-12-31"
'

scenario 'list: a catastrophic pattern stops at the match limit, exit 2, naming it' '
	printf "[embargo \"X-1\"]\n\tpattern = (a+)+\$\n" >cat.list &&
	git clone -q r cat &&
	git -C cat commit -q --allow-empty -m "$(head -c 5000 /dev/zero | tr "\0" a)!" &&
	(cd cat && git embargo scan --list ../cat.list >../out 2>../err); test $? = 2 &&
	test "$(lines err)" = 1 &&
	has err "(a+)+\$" && has err "cat.list" && has err "line 2" && has err "match limit"
'

scenario 'list: 200,000 entries load, match, and miss' '
	awk "BEGIN { for (i = 0; i < 200000; i++) printf \"[embargo \\\"CVE-2025-%d\\\"]\n\tuntil = 2026-12-31\n\", 100000 + i }" >many.list &&
	git clone -q r many && git -C many commit -q --allow-empty -m "Fix CVE-2025-299999 and CVE-2025-300000" &&
	(cd many && git embargo scan --list ../many.list --format json >../out 2>../err); test $? = 1 &&
	jq -e "[.findings[].identifier] == [\"CVE-2025-299999\"]" out >/dev/null
'

# ---- hook input --------------------------------------------------------

git init -q --bare srv.git
git -C srv.git embargo install >/dev/null
git -C r push -q "$SCRATCH/srv.git" main 2>/dev/null
TIP=$(rev r main)

# hook HOOK INPUT: run the server hook in srv.git with INPUT on stdin
hook() { (cd srv.git && printf "$2" | git embargo hook "$1" >../out 2>../err); }

scenario 'hook input: a malformed line is named, the push rejected (exit 2)' '
	hook pre-receive "$Z $TIP refs/heads/a\nnot a line at all\n"; test $? = 2 &&
	has err "push rejected" && has err "line 2"
'

scenario 'hook input: an unknown object id is named, the push rejected (exit 3)' '
	hook pre-receive "$Z 1234567890123456789012345678901234567890 refs/heads/a\n"; test $? = 3 &&
	has err "push rejected" && has err "1234567890123456789012345678901234567890"
'

scenario 'hook input: stdin closed in the middle of a line rejects (exit 2)' '
	hook pre-receive "$Z $TIP refs/heads/a\n$Z 12345"; test $? = 2 &&
	has err "push rejected" && has err "line 2"
'

scenario 'hook input: a line without its newline at the end still counts' '
	hook pre-receive "$Z $TIP refs/heads/fix-CVE-2026-31337"; test $? = 1 &&
	has err "refs/heads/fix-CVE-2026-31337"
'

scenario 'hook input: 5,000 refs in one push, one naming an issue' '
	git clone -q r many-refs &&
	awk -v t=$TIP "BEGIN { for (i = 0; i < 5000; i++) printf \"create refs/heads/b%04d %s\n\", i, t }" |
		git -C many-refs update-ref --stdin &&
	git -C many-refs branch -q fix-CVE-2026-31337 &&
	! git -C many-refs push "$SCRATCH/srv.git" "refs/heads/*:refs/heads/*" 2>err &&
	has err "refs/heads/fix-CVE-2026-31337" &&
	test "$(git -C srv.git for-each-ref | wc -l)" = 1 &&
	git -C many-refs branch -q -D fix-CVE-2026-31337 &&
	git -C many-refs push -q "$SCRATCH/srv.git" "refs/heads/*:refs/heads/*" 2>err &&
	test "$(git -C srv.git for-each-ref | wc -l)" = 5001
'

scenario 'hook input: push options with control characters are not echoed raw' '
	git -C srv.git config receive.advertisePushOptions true &&
	git -C r commit -q --allow-empty -m "Secret: CVE-2026-31337" &&
	esc=$(printf "\033") &&
	! git -C r push -o "embargo.override=$(printf "now\033[2J\033]0;pwned\007\r")" \
		"$SCRATCH/srv.git" main 2>err &&
	has err "push rejected" &&
	! grep -q "$esc" err &&
	test "$(rev srv.git main)" = "$TIP"
'

scenario 'hook input: an override reason with control characters is logged as JSON' '
	git -C srv.git config embargo.allowOverride true &&
	git -C srv.git config embargo.auditLog "$SCRATCH/audit.log" &&
	git -C r push -q --no-verify \
		-o "embargo.override=$(printf "CVE-2026-31337: now\033[2J\tsee \"ticket\"")" \
		"$SCRATCH/srv.git" main 2>err &&
	test "$(lines audit.log)" = 1 &&
	jq -e ".reason | test(\"\\u001b\")" audit.log >/dev/null &&
	! grep -q "$(printf "\033")" audit.log
'

# ---- what a rejection reveals, and hashed entries ----------------------

h=$(git embargo hash CVE-2026-4242 | sed -n "s/.*\"\(sha256:[0-9a-f]*\)\".*/\1/p")
cat >reveal.list <<EOF
[embargo "CVE-2026-31337"]
	until = 2026-12-31
	note = heap overflow in the parser
[embargo "CVE-2026-5555"]
	until = 2026-12-31
	note = the other one, not pushed
[embargo "$h"]
	until = 2026-12-31
	note = a hashed note
EOF

scenario 'reveal: a rejection names only what the push contains' '
	git init -q --bare rev.git && git -C rev.git embargo install >/dev/null &&
	git -C rev.git config embargo.list "$SCRATCH/reveal.list" &&
	git clone -q r reveal && git -C reveal reset -q --hard $TIP &&
	git -C reveal commit -q --allow-empty -m "Fix CVE-2026-31337" &&
	! git -C reveal push "$SCRATCH/rev.git" HEAD:refs/heads/main 2>err &&
	has err "CVE-2026-31337" &&
	hasnt err "CVE-2026-5555" && hasnt err "the other one" &&
	hasnt err "$h" && hasnt err "a hashed note"
'

scenario 'hashed: a hit on a hashed entry shows no note, and the list shows the hash' '
	git -C reveal commit -q --allow-empty --amend -m "Fix CVE-2026-4242" &&
	! git -C reveal push "$SCRATCH/rev.git" HEAD:refs/heads/main 2>err &&
	has err "CVE-2026-4242" && hasnt err "a hashed note" && hasnt err "CVE-2026-31337" &&
	(cd reveal && git embargo list --list ../reveal.list >../out 2>&1) &&
	has out "$h" && hasnt out "CVE-2026-4242"
'

scenario 'hashed: the override audit log names a hashed entry by its hash' '
	git -C rev.git config receive.advertisePushOptions true &&
	git -C rev.git config embargo.allowOverride true &&
	git -C rev.git config embargo.auditLog "$SCRATCH/rev-audit.log" &&
	git -C reveal push -q -o "embargo.override=CVE-2026-4242: disclosed today" \
		"$SCRATCH/rev.git" HEAD:refs/heads/main 2>err &&
	jq -e ".identifiers == [\"$h\"]" rev-audit.log >/dev/null &&
	! grep -q "CVE-2026-4242" rev-audit.log
'

# ---- SECURITY.md -------------------------------------------------------

scenario 'policy: a symlink to /etc/passwd is reported, not read' '
	git init -q pol && ln -s /etc/passwd pol/SECURITY.md &&
	git -C pol add -A && git -C pol commit -q -m "link" &&
	(cd pol && git embargo policy >../out 2>&1); test $? = 1 &&
	has out "symbolic link to '\''/etc/passwd'\''" &&
	hasnt out "root:" && hasnt out "nologin"
'

finish
