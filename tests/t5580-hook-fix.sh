#!/bin/sh
# t5580-hook-fix.sh - the fix itself is the leak: `git embargo
# fingerprint` in the security team's repository, then real pushes of
# the fix, its cherry-picks, squashes, re-indented and partial copies
# through the pre-push and pre-receive hooks, and the security-fork rule.
. "$(dirname "$0")/t-hook-lib.sh"

# parse.c before the fix; the fix adds four distinctive lines
base_c() {
	cat <<'EOC'
#include <string.h>

int parse_field(const char *buf, size_t len, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out[i] = buf[i];
	}
	return 0;
}
EOC
}

# $1: the lines of the fix to include (e.g. 1234), $2: their indent
fixed_c() {
	want=${1:-1234} ind=${2:-	}
	printf '#include <string.h>\n\nint parse_field(const char *buf, size_t len, char *out, size_t outlen)\n{\n\tsize_t i;\n\n'
	case $want in *1*) printf '%sif (outlen == 0 || len >= outlen)\n' "$ind";; esac
	case $want in *2*) printf '%s\treturn -1; /* would overflow the field buffer */\n' "$ind";; esac
	case $want in *3*) printf '%smemset(out, 0, outlen);\n' "$ind";; esac
	printf '\tfor (i = 0; i < len; i++) {\n\t\tout[i] = buf[i];\n\t}\n'
	case $want in *4*) printf "%sout[len] = '\\\\0';\n" "$ind";; esac
	printf '\treturn 0;\n}\n'
}

git init -q --bare "$SCRATCH/pub.git"
git init -q --bare "$SCRATCH/srv.git"
git -C "$SCRATCH/srv.git" embargo install >/dev/null
git init -q "$SCRATCH/dev"
base_c >"$SCRATCH/dev/parse.c"
git -C "$SCRATCH/dev" add parse.c
git -C "$SCRATCH/dev" commit -q -m "Initial import"
git -C "$SCRATCH/dev" remote add origin "$SCRATCH/pub.git"
git -C "$SCRATCH/dev" remote add srv "file://$SCRATCH/srv.git"
git -C "$SCRATCH/dev" push -q origin main
git -C "$SCRATCH/dev" push -q srv main 2>/dev/null
git -C "$SCRATCH/dev" embargo install >/dev/null

# the security team's private repository, with the fix
git clone -q "$SCRATCH/pub.git" "$SCRATCH/sec"
fixed_c >"$SCRATCH/sec/parse.c"
git -C "$SCRATCH/sec" commit -q -a -m "Reject fields longer than the buffer"
FIX=$(rev "$SCRATCH/sec" HEAD)
git -C "$SCRATCH/dev" remote add sec "$SCRATCH/sec"
git -C "$SCRATCH/dev" fetch -q sec

# back to what the public remote has
reset_dev() { git -C dev reset -q --hard origin/main; }

scenario 'fingerprint prints a list section that loads, with no code in it' '
	(cd sec && git embargo fingerprint --id CVE-2026-40001 \
		--until 2026-12-31 HEAD^!) >fix.list &&
	has fix.list "[embargo \"CVE-2026-40001\"]" &&
	has fix.list "until = 2026-12-31" &&
	has fix.list "fix = $FIX" &&
	has fix.list "patchId = $(git -C sec show $FIX | git patch-id --stable)" &&
	has fix.list "4 distinctive lines" &&
	hasnt fix.list "overflow" && hasnt fix.list "memset" &&
	git embargo list --list fix.list >out &&
	has out "active   2026-12-31   CVE-2026-40001" &&
	cat fix.list >>"$LIST"
'

scenario 'fingerprint refuses a bad --until and a range with no commit' '
	! (cd sec && git embargo fingerprint --until 2026-13-01 HEAD^!) 2>err &&
	has err "bad date" &&
	(cd sec && git embargo fingerprint --until 2026-12-31T09:00:00Z HEAD^!) >out &&
	has out "until = 2026-12-31T09:00:00Z" &&
	! (cd sec && git embargo fingerprint HEAD..HEAD) 2>err &&
	has err "no commit to fingerprint"
'

scenario 'the fix commit itself is blocked' '
	reset_dev &&
	! git -C dev push origin $FIX:refs/heads/fix 2>err &&
	has err "CVE-2026-40001  embargoed until 2026-12-31" &&
	has err "the fix (fix commit)" &&
	has err "the fix itself is embargoed" &&
	test -z "$(rev pub.git fix)"
'

scenario 'a reworded cherry-pick is blocked: same patch' '
	reset_dev &&
	git -C dev cherry-pick $FIX >/dev/null &&
	git -C dev commit -q --amend -m "Tidy field handling" &&
	! git -C dev push origin main 2>err &&
	has err "\"Tidy field handling\": the fix (same patch as $FIX)"
'

scenario 'the server (pre-receive) rejects it too' '
	! git -C dev push --no-verify srv main 2>err &&
	has err "remote:     commit $(git -C dev rev-parse --short=7 HEAD) \"Tidy field handling\": an embargoed fix" &&
	hasnt err "$FIX" &&
	test "$(rev srv.git main)" = "$(rev dev origin/main)" &&
	git -C srv.git config embargo.revealIds true &&
	! git -C dev push --no-verify srv main 2>err &&
	git -C srv.git config --unset embargo.revealIds &&
	has err "remote:         commit $(git -C dev rev-parse --short=7 HEAD) \"Tidy field handling\": the fix (same patch as $FIX)"
'

scenario 'a squash of the fix with other work is blocked: its lines' '
	reset_dev &&
	fixed_c >dev/parse.c && echo "release notes" >dev/NEWS &&
	git -C dev add parse.c NEWS && git -C dev commit -q -m "Release prep" &&
	! git -C dev push origin main 2>err &&
	has err "\"Release prep\": the fix (adds 4 of 4 lines of the fix)" &&
	has err "parse.c:7, parse.c:8, parse.c:9, parse.c:13"
'

scenario 'a re-indented copy is blocked' '
	reset_dev &&
	fixed_c 1234 "        " >dev/parse.c &&
	echo "/* spaces, not tabs */" >>dev/parse.c &&
	git -C dev commit -q -a -m "Style" &&
	! git -C dev push origin main 2>err &&
	has err "\"Style\": the fix (adds 4 of 4 lines of the fix)"
'

scenario 'a partial backport (3 of 4 lines) is blocked' '
	reset_dev &&
	fixed_c 124 >dev/parse.c &&
	git -C dev commit -q -a -m "Backport" &&
	! git -C dev push origin main 2>err &&
	has err "\"Backport\": the fix (adds 3 of 4 lines of the fix)"
'

scenario 'unrelated work on the same function is allowed' '
	reset_dev &&
	fixed_c 3 >dev/parse.c &&
	sed -i "s/size_t i;/size_t i; \/* index into both buffers *\//" dev/parse.c &&
	git -C dev commit -q -a -m "Clear the output first" &&
	git -C dev push -q origin main 2>err &&
	hasnt err git-embargo &&
	git -C dev push -q -f origin main~1:main 2>/dev/null
'

scenario 'commits that add the fix together are blocked together' '
	reset_dev &&
	fixed_c 1 >dev/parse.c && git -C dev commit -q -a -m "Check length" &&
	fixed_c 13 >dev/parse.c && git -C dev commit -q -a -m "Clear" &&
	(cd dev && git embargo scan origin/main..main) >out; test $? = 0 &&
	! git -C dev push origin main 2>err &&
	has err "the fix (the pushed commits together add 2 of 4 lines of the fix): parse.c:" &&
	has err "parse.c:7" && has err "parse.c:8"
'

scenario 'moving the fixed file, or its folder, adds nothing' '
	git clone -q sec moves &&
	mkdir moves/lib && git -C moves mv parse.c lib/parse.c &&
	git -C moves commit -q -m "Move to lib" &&
	git -C moves mv lib src && git -C moves commit -q -m "Rename lib" &&
	(cd moves && git embargo scan HEAD~2..HEAD) >out; test $? = 0
'

scenario 'scan reports kind fix in JSON, with the evidence' '
	git -C dev reset -q --hard origin/main &&
	fixed_c >dev/parse.c && echo "/* v2 */" >>dev/parse.c &&
	git -C dev commit -q -a -m "Squash" &&
	(cd dev && git embargo scan --format json origin/main..main) >out.json; test $? = 1 &&
	jq -e ".findings[0].kind == \"fix\" and .findings[0].match == \"adds 4 of 4 lines of the fix\" and .findings[0].path == \"parse.c\" and .findings[0].line == 7" out.json >/dev/null
'

scenario 'audit reports the fix in a repository it reads' '
	reset_dev &&
	fixed_c >dev/parse.c && echo "/* v3 */" >>dev/parse.c &&
	git -C dev commit -q -a -m "Audit me" &&
	git embargo audit dev >out; test $? = 1 &&
	has out "\"Audit me\": the fix (adds 4 of 4 lines of the fix)"
'

scenario 'after its until, the fix may be published' '
	reset_dev &&
	git -C dev cherry-pick $FIX >/dev/null &&
	GIT_EMBARGO_NOW=2026-12-31 git -C dev push -q origin main 2>err &&
	hasnt err "git-embargo: push"
'

scenario 'a security fork: what only it has is an embargoed fix' '
	reset_dev &&
	fixed_c 1234 "  " >sec/parse.c &&
	echo "hardening" >sec/HARDEN && git -C sec add HARDEN &&
	git -C sec commit -q -a -m "Harden more" &&
	git -C dev fetch -q sec &&
	git -C dev config remote.sec.embargo security &&
	git -C dev push -q sec sec/main:refs/heads/copy 2>err &&
	hasnt err git-embargo &&
	! git -C dev push origin sec/main:refs/heads/harden 2>err &&
	has err "security-fork:sec  embargoed until removed from the list" &&
	has err "\"Harden more\": the fix (on the security fork '\''sec'\'')" &&
	git -C dev config --unset remote.sec.embargo
'

finish
