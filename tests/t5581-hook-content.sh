#!/bin/sh
# t5581-hook-content.sh - every byte a push publishes, through a real
# `git push` into a bare repository with the pre-receive hook: commit
# and tag headers, tag chains, tree entry modes as git reads them,
# UTF-16 and UTF-32 text, the printable runs of binaries, a line that
# only a skipped version had, an alias completed on a second line,
# files over embargo.maxBlobSize (read in pieces, or refused by name).
# Each dirty push is rejected, `git embargo scan` finds the same place
# in the pushing clone, and each near miss is allowed.
. "$(dirname "$0")/t-hook-lib.sh"

server_and_dev

# craft TYPE: an object from stdin, written as git stores it, id on stdout
craft() { git -C dev hash-object -t "$1" -w --stdin --literally; }

# A commit on main with extra header lines $1 (printf escapes) and
# subject $2, on branch $3.
header_commit() {
	c=$(printf "tree %s\nparent %s\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n$1\n%s\n" \
		"$(rev dev main^{tree})" "$(rev dev main)" "$2" | craft commit) &&
	git -C dev update-ref "refs/heads/$3" "$c"
}

# The push of branch $1 is rejected naming $2; scan finds $2 too.
rejected() {
	! git -C dev push origin "$1" 2>err &&
	has err "remote: git-embargo: push rejected" &&
	has err "$2" &&
	test "$(rev srv.git "$1")" != "$(rev dev "$1")" &&
	{ git -C dev embargo scan "$1" --not main >scan; test $? = 1; } &&
	has scan "$2"
}

allowed() {
	git -C dev push -q origin "$1" 2>err &&
	hasnt err git-embargo &&
	{ git -C dev embargo scan "$1" --not main >scan || { cat scan; false; }; }
}

scenario 'a mergetag header (a signed tag inside a merge) is scanned' '
	header_commit "mergetag object $(rev dev main)\n type commit\n tag v1\n tagger T <t@b> 1 +0000\n \n Fixes CVE-2026-31337\n" \
		"Merge tag v1" mt &&
	rejected mt "\"Merge tag v1\": header line 10"
'

scenario 'gpgsig, encoding and a second committer line are scanned' '
	header_commit "gpgsig -----BEGIN PGP SIGNATURE-----\n cve-2026-31337\n -----END PGP SIGNATURE-----\n" \
		"Signed" sig &&
	rejected sig "\"Signed\": header line 6" &&
	header_commit "encoding CVE-2026-31337\n" "Encoded" enc &&
	rejected enc "\"Encoded\": header line 5" &&
	header_commit "committer CVE 2026 31337 <x@b> 1 +0000\n" "Twice" two &&
	rejected two "\"Twice\": header line 5"
'

scenario 'near misses in headers are allowed' '
	header_commit "gpgsig -----BEGIN PGP SIGNATURE-----\n CVE-2026-313370 CVE-2026-3133\n -----END PGP SIGNATURE-----\n" \
		"Near miss" near &&
	allowed near
'

scenario 'a tag chain is followed to any depth' '
	git -C dev tag -a t0 -m "Fixes CVE-2026-31337" main &&
	for i in $(seq 1 30); do
		git -C dev -c advice.nestedTag=false tag -a "t$i" -m "level $i" \
			"t$((i - 1))" && git -C dev tag -d "t$((i - 1))" >/dev/null ||
		return 1
	done &&
	! git -C dev push origin t30 2>err &&
	has err "remote:     tag t30 message line 1: '\''CVE-2026-31337'\''" &&
	test -z "$(rev srv.git t30)" &&
	{ git -C dev embargo scan --tags >scan; test $? = 1; } &&
	has scan "tag t30 message line 1" &&
	git -C dev tag -d t30 >/dev/null
'

scenario 'a tag header other than the name, tagger and message is scanned' '
	t=$(printf "object %s\ntype commit\ntag v9\ntagger T <t@b> 1 +0000\nx-note CVE-2026-31337\n\nrelease\n" \
		"$(rev dev main)" | craft tag) &&
	git -C dev update-ref refs/tags/v9 "$t" &&
	! git -C dev push origin v9 2>err &&
	has err "remote:     tag v9 header line 5: '\''CVE-2026-31337'\''" &&
	{ git -C dev embargo scan --tags >scan; test $? = 1; } &&
	has scan "tag v9 header line 5" &&
	git -C dev tag -d v9 >/dev/null
'

# A tree of main plus entries "$mode $name" -> blob with content $3.
mode_commit() {
	b=$(printf "%s" "$3" | craft blob) &&
	t=$( (git -C dev cat-file tree main^{tree} &&
		perl -e "print \"$1 $2\\0\", pack(\"H*\", \"$b\")") | craft tree) &&
	git -C dev update-ref "refs/heads/$4" \
		"$(git -C dev commit-tree "$t" -p main -m "$5")"
}

scenario 'a 120777 entry is a symbolic link: its target is content' '
	mode_commit 120777 link CVE-2026-31337 lnk "Odd link" &&
	rejected lnk "\"Odd link\": link:1 (added)"
'

scenario 'a 100664 entry is a file; an unknown type is a submodule' '
	mode_commit 100664 old.txt CVE-2026-31337 old "Old mode" &&
	rejected old "\"Old mode\": old.txt:1 (added)" &&
	mode_commit 60644 odd CVE-2026-31337 odd "No type" &&
	allowed odd
'

# A commit on a branch $1 (from main) writing file $2 with printf
# format $3, subject $4.
file_commit() {
	git -C dev checkout -q -B "$1" main &&
	printf "$3" >"dev/$2" && git -C dev add "$2" &&
	git -C dev commit -q -m "$4" && git -C dev checkout -q main
}

scenario 'UTF-16 and UTF-32 text is decoded; lines count as decoded' '
	git -C dev checkout -q -B u16 main &&
	printf "one\ntwo CVE-2026-31337\n" | iconv -t UTF-16 >dev/u16.txt &&
	printf "a\nb\nc CVE-2026-31337\n" | iconv -t UTF-32BE >dev/u32.txt &&
	git -C dev add u16.txt u32.txt && git -C dev commit -q -m "Wide text" &&
	git -C dev checkout -q main &&
	rejected u16 "\"Wide text\": u16.txt:2 (added)" &&
	has err "\"Wide text\": u32.txt:3 (added)" && has scan "u32.txt:3"
'

scenario 'a binary file: its printable runs, placed by offset' '
	file_commit bin prog.bin "\177ELF\000\001\002fix CVE-2026-31337\000" "Binary" &&
	rejected bin "\"Binary\": prog.bin (added, binary file, offset 11)"
'

scenario 'near misses in binaries and decoded text are allowed' '
	file_commit nearbin near.bin "CVE-2026-\00031337\000CVE-2026-313370\000" "Split by NUL" &&
	allowed nearbin &&
	git -C dev checkout -q -B near16 main &&
	printf "CVE-2026-313370\n" | iconv -t UTF-16 >dev/near16.txt &&
	git -C dev add near16.txt && git -C dev commit -q -m "Near 16" &&
	git -C dev checkout -q main && allowed near16
'

scenario 'a line only a binary version had is new when the NUL goes' '
	file_commit strip notes.txt "intro\nfix CVE-2026-31337\n\000\n" "Binary notes" &&
	git -C srv.git config embargo.public false &&
	git -C dev push -q origin strip 2>err &&
	git -C srv.git config --unset embargo.public &&
	git -C dev checkout -q strip &&
	printf "intro\nfix CVE-2026-31337\n" >dev/notes.txt &&
	git -C dev commit -q -am "Strip the NUL" && git -C dev checkout -q main &&
	! git -C dev push origin strip 2>err &&
	has err "\"Strip the NUL\": notes.txt:2 (added)" &&
	{ git -C dev embargo scan strip --not main >scan; test $? = 1; } &&
	has scan "\"Strip the NUL\": notes.txt:2 (added)" &&
	has scan "\"Binary notes\": notes.txt (added, binary file, offset 10)"
'

scenario 'an alias completed on a second line is found on that commit' '
	printf "[embargo \"CVE-2026-31337\"]\n\talias = Bleeding Heart\n" >>"$LIST" &&
	file_commit alias a.txt "intro\nthe Bleeding\nend\n" "First half" &&
	allowed alias &&
	git -C dev checkout -q alias &&
	printf "intro\nthe Bleeding\nHeart bug\nend\n" >dev/a.txt &&
	git -C dev commit -q -am "Second half" && git -C dev checkout -q main &&
	rejected alias "\"Second half\": a.txt:2 (added)"
'

# A file of $1 lines ("line N", line $2 replaced by $3) on branch $4.
big_commit() {
	git -C dev checkout -q -B "$4" main &&
	awk -v n="$1" -v at="$2" -v t="$3" 'BEGIN {
		for (i = 1; i <= n; i++) print (i == at ? t : "line " i) }' \
		>dev/big.txt &&
	git -C dev add big.txt && git -C dev commit -q -m "$5" &&
	git -C dev checkout -q main
}

git -C "$SCRATCH/srv.git" config embargo.maxBlobSize 100k
git -C "$SCRATCH/dev" config embargo.maxBlobSize 100k

scenario 'a file over embargo.maxBlobSize is read in pieces, loose' '
	big_commit 300000 250000 "fix CVE-2026-31337" big1 "Big loose" &&
	rejected big1 "\"Big loose\": big.txt:250000 (added)"
'

scenario 'and packed whole (receive.unpackLimit=1 keeps the pack)' '
	git -C srv.git config receive.unpackLimit 1 &&
	! git -C dev push origin big1 2>err &&
	has err "\"Big loose\": big.txt:250000 (added)" &&
	git -C srv.git config --unset receive.unpackLimit
'

scenario 'a near miss in a large file is allowed' '
	big_commit 300000 250000 "fix CVE-2026-313370" big2 "Big near" &&
	allowed big2
'

scenario 'a large file stored as a delta is refused, naming the setting' '
	git -C srv.git config receive.unpackLimit 1 &&
	git -C dev checkout -q big2 &&
	sed -i "s/^line 7$/line 7x/" dev/big.txt &&
	git -C dev commit -q -am "Big delta" && git -C dev checkout -q main &&
	! git -C dev push origin big2 2>err &&
	has err "cannot scan '"'"'big.txt'"'"' in commit" &&
	has err "set embargo.maxBlobSize to" &&
	git -C srv.git config embargo.maxBlobSize 8m &&
	git -C dev push -q origin big2 2>err &&
	git -C srv.git config embargo.maxBlobSize 100k &&
	git -C srv.git config --unset receive.unpackLimit
'

finish
