#!/bin/sh
# `git embargo audit` of URL sources served by `git daemon` on 127.0.0.1:
# mirrored bare into the cache on the first run, fetched incrementally
# (new commits seen, deleted branches pruned, the mirror kept) on the
# next, a source that cannot be fetched as an error row, the `.github`
# repository of the same URL prefix as the organisation default, and two
# audits sharing one cache at the same time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/audit-org.sh"

if [ ! -x "$(git --exec-path)/git-daemon" ]; then
	skip "URL sources over git://" "this git has no git-daemon"
	finish
	exit
fi

cd "$SCRATCH"
make_org "$SCRATCH"
L="--list $SCRATCH/embargo.list"
C="--cache $SCRATCH/cache"
SRV=$SCRATCH/srv
mkdir -p "$SRV/acme"
git clone -q --bare org/alpha "$SRV/acme/one.git"
git clone -q --bare org/gamma "$SRV/acme/gamma.git"
git clone -q --bare org/leaky "$SRV/acme/two.git"
git clone -q --bare org/.github "$SRV/acme/.github.git"

# git daemon on a free port of the loopback interface (lib.sh stops it)
if ! start_git_daemon --export-all --base-path="$SRV" "$SRV"; then
	fail "git daemon did not start: $(cat "$SCRATCH/daemon.log")"
	finish
	exit
fi
PORT=$DAEMON_PORT
U=git://127.0.0.1:$PORT/acme
pass "git daemon serves on 127.0.0.1:$PORT"

# ---- first run: clones --------------------------------------------------
expect "first run over git:// URLs" 1 git embargo audit $L $C --format json \
	"$U/one.git" "$U/two.git" "$U/gamma.git" "$U/.github.git"
printf '%s\n' "$OUT" >run1.json
contains "rows are named by URL" "\"repository\":\"$U/one.git\""
contains "a finding in a mirrored repository" '"identifier":"CVE-2026-1002"'
[ "$(ls cache/mirrors | grep -c '\.git$')" -eq 4 ] && pass "four bare mirrors in the cache" ||
	fail "cache: $(ls cache/mirrors)"
m2=$(ls -d cache/mirrors/*-two.git)
[ "$(git -C "$m2" rev-parse --is-bare-repository)" = true ] && pass "mirrors are bare" || fail "not bare"
[ "$(git -C "$m2" for-each-ref --format='%(refname)' | tr '\n' ' ')" = "refs/heads/main refs/heads/wip " ] &&
	pass "mirror holds branches and tags only" || fail "refs: $(git -C "$m2" for-each-ref)"
echo kept >"$m2/marker"
inode=$(stat -c %i "$m2")

# the .github repository under the same URL prefix is gamma's default
mg=$(ls -d "$SCRATCH"/cache/mirrors/*-.github.git)
git embargo policy --format json --org-default "$mg" "$SRV/acme/gamma.git" |
	sed "s|$mg|$U/.github.git|g" | tr -d ' \n\t' >p.want
grep -F "\"repository\":\"$U/gamma.git\"" run1.json |
	sed 's/.*"policy":\(.*\),"findings":.*/\1/' | tr -d ' \n\t' >p.got
cmp -s p.got p.want && pass "the org's .github URL is the default of its siblings" ||
	fail "gamma policy $(cat p.got) != $(cat p.want)"
grep -q "\"path\":\"$U/.github.git:SECURITY.md\"" p.got &&
	pass "the default is named by its URL, not by the cache" || fail "named $(cat p.got)"

# ---- upstream changes; second run: fetch ------------------------------------
git clone -q "$SRV/acme/one.git" work-one
echo 'see CVE-2026-1001' >work-one/notes.txt
git -C work-one add notes.txt
GIT_COMMITTER_DATE=2026-05-20T00:00:00Z git -C work-one commit -q -m "Notes"
git -C work-one push -q origin main
git -C "$SRV/acme/two.git" branch -q -D wip

expect "second run" 1 git embargo audit $L $C --format json \
	"$U/one.git" "$U/two.git" "$U/gamma.git" "$U/.github.git"
printf '%s\n' "$OUT" >run2.json
grep -F "\"repository\":\"$U/one.git\"" run2.json | grep -qF '"identifier":"CVE-2026-1001"' &&
	pass "a commit pushed upstream is seen" || fail "new commit not seen"
grep -F "\"repository\":\"$U/two.git\"" run2.json | grep -qF '"findings":[]' &&
	pass "a branch deleted upstream is pruned" || fail "deleted branch still reported"
[ "$(cat "$m2/marker" 2>/dev/null)" = kept ] && [ "$(stat -c %i "$m2")" = "$inode" ] &&
	pass "the mirror is fetched into, not cloned again" || fail "mirror was replaced"
[ -z "$(ls cache/mirrors | grep tmp)" ] && pass "no temporary clone left" || fail "tmp left"

# ---- the same with more workers, and two audits at once on one cache -------
git embargo audit $L $C --format json --jobs 3 "$U/one.git" "$U/two.git" \
	"$U/gamma.git" "$U/.github.git" >run3.json 2>/dev/null
cmp -s run2.json run3.json && pass "--jobs 3 gives the same rows" || fail "--jobs 3 differs"
git embargo audit $L $C --format json "$U/one.git" "$U/two.git" >a.json 2>/dev/null &
pa=$!
git embargo audit $L $C --format json "$U/two.git" "$U/one.git" >b.json 2>/dev/null &
pb=$!
wait $pa
wait $pb
cmp -s a.json b.json && grep -q '"error":null' a.json && ! grep -q '"error":"' a.json &&
	pass "two audits sharing the cache at once" || fail "concurrent audits: $(cat a.json b.json)"

# ---- failures are rows ------------------------------------------------------
expect "a URL that cannot be fetched is not audited (and the leak beside it exits 1)" 1 git embargo audit $L $C \
	--format json "$U/missing.git" "$U/one.git"
contains "...saying why" "\"repository\":\"$U/missing.git\",\"verdict\":\"not-audited\",\"public\":true,\"policy\":null,\"findings\":[],\"error\":\"cannot clone"
contains "...and the rest is audited" "\"repository\":\"$U/one.git\""
[ -z "$(ls cache/mirrors | grep missing.git\$)" ] && pass "no mirror left for a failed clone" ||
	fail "failed clone left a mirror"

# ssh, scp-like and https URLs are mirrored the same way: a closed port is
# an error row from the transport, and a password is never shown
expect "ssh://, scp-like and https:// sources" 3 git embargo audit $L $C --format json \
	ssh://git@127.0.0.1:1/acme/x.git git@127.0.0.1:acme/y.git \
	https://bot:s3cret@127.0.0.1:1/acme/z.git
contains "ssh row" '"repository":"ssh://git@127.0.0.1:1/acme/x.git","verdict":"not-audited","public":true,"policy":null,"findings":[],"error":"cannot clone'
contains "scp-like row" '"repository":"git@127.0.0.1:acme/y.git"'
contains "https row without its password" '"repository":"https://bot@127.0.0.1:1/acme/z.git"'
lacks "the password is in no message" "s3cret"

# ---- file:// and the default cache folder -----------------------------------
expect "file:// URL, default cache under XDG_CACHE_HOME" 0 \
	env XDG_CACHE_HOME="$SCRATCH/xdg" git embargo audit $L "file://$SRV/acme/.github.git"
[ -d xdg/git-embargo/mirrors ] && pass "default cache is \$XDG_CACHE_HOME/git-embargo" ||
	fail "no xdg cache"
expect "shards of URL sources, merged, equal the single run" 0 sh -c "
	for i in 1 2 3; do git embargo audit $L $C --format json --shard \$i/3 \
		'$U/one.git' '$U/two.git' '$U/gamma.git' '$U/.github.git' >u\$i.json; done
	git embargo audit --merge --format json u1.json u2.json u3.json >um.json
	cmp um.json run2.json"

finish
