#!/bin/sh
# t5582-hook-server-refs.sh - what a server takes as already public:
# the refs a fetch shows (not those hidden by uploadpack.hideRefs or
# transfer.hideRefs, only those of the pusher's GIT_NAMESPACE), and a
# repository whose path holds ':' (git quotes it in the quarantine's
# GIT_ALTERNATE_OBJECT_DIRECTORIES).  Real pushes into bare
# repositories with the pre-receive hook `git embargo install` writes.
. "$(dirname "$0")/t-hook-lib.sh"

server_and_dev

# A commit naming the issue, put on the server by its own staff (a
# fetch runs no hook) under ref $1.
staff_fetch() {
	git -C "$SCRATCH/dev" checkout -q -b "staff-$2" main &&
	commit "$SCRATCH/dev" "Fix parser overflow (CVE-2026-31337) $2" &&
	git -C "$SCRATCH/srv.git" fetch -q "$SCRATCH/dev" "staff-$2:$1" &&
	git -C "$SCRATCH/dev" checkout -q main
}

scenario 'a commit only under a hidden ref is scanned when pushed under a shown one' '
	git -C srv.git config --add uploadpack.hideRefs refs/embargo &&
	staff_fetch refs/embargo/fix a &&
	! git -C dev push origin staff-a:refs/heads/release 2>err &&
	has err "remote: git-embargo: push rejected" &&
	has err "Fix parser overflow (CVE-2026-31337) a" &&
	test -z "$(rev srv.git release)"
'

scenario 'transfer.hideRefs hides too; a later !entry shows again' '
	git -C srv.git config --add transfer.hideRefs refs/private/ &&
	staff_fetch refs/private/fix b &&
	! git -C dev push origin staff-b:refs/heads/release 2>err &&
	has err "Fix parser overflow (CVE-2026-31337) b" &&
	printf "[uploadpack]\n\thideRefs = !refs/private/fix\n" >>srv.git/config &&
	git -C dev push -q origin staff-b:refs/heads/release 2>err &&
	hasnt err git-embargo &&
	git -C srv.git config --fixed-value --unset uploadpack.hideRefs "!refs/private/fix"
'

scenario 'the old value of a hidden ref is not public either' '
	staff_fetch refs/embargo/fix2 c &&
	git -C dev checkout -q -b c2 staff-c &&
	commit dev "Follow-up, clean" &&
	! git -C dev push origin c2:refs/embargo/fix2 2>err &&
	has err "Fix parser overflow (CVE-2026-31337) c" &&
	git -C dev checkout -q main
'

scenario 'near miss: a commit under a shown ref is public, so not reported again' '
	staff_fetch refs/heads/leaked d &&
	git -C dev push -q origin staff-d:refs/heads/copy 2>err &&
	hasnt err git-embargo &&
	test "$(rev srv.git copy)" = "$(rev dev staff-d)"
'

scenario 'scan --all on the server reports what the hook blocks: the hidden commits' '
	git -C srv.git embargo scan --all >out; test $? = 1 &&
	has out "Fix parser overflow (CVE-2026-31337) a" &&
	has out "Fix parser overflow (CVE-2026-31337) b"
'

# namespaces: receive-pack run with GIT_NAMESPACE, as gitolite or a
# forge serving many repositories from one does
ns_push() {
	ns=$1
	shift
	git -C "$SCRATCH/dev" push --receive-pack="env GIT_NAMESPACE=$ns git-receive-pack" "$@"
}

scenario 'namespace: a commit of another namespace is not public in this one' '
	staff_fetch refs/namespaces/b/refs/heads/main e &&
	git -C srv.git pack-refs --all &&
	! ns_push a origin staff-e:refs/heads/main 2>err &&
	has err "Fix parser overflow (CVE-2026-31337) e" &&
	test -z "$(rev srv.git refs/namespaces/a/refs/heads/main)"
'

scenario 'near miss: a commit already in this namespace (packed refs) is not reported again' '
	git -C srv.git fetch -q ../dev staff-e:refs/namespaces/a/refs/heads/old &&
	git -C srv.git pack-refs --all &&
	ns_push a -q origin staff-e:refs/heads/copy 2>err &&
	hasnt err git-embargo &&
	test "$(rev srv.git refs/namespaces/a/refs/heads/copy)" = "$(rev dev staff-e)"
'

scenario 'namespace: hideRefs see the name inside it' '
	git -C srv.git config --add uploadpack.hideRefs refs/heads/old &&
	git -C srv.git config --add uploadpack.hideRefs \
		^refs/namespaces/a/refs/heads/copy &&
	! ns_push a origin staff-e:refs/heads/copy2 2>err &&
	has err "Fix parser overflow (CVE-2026-31337) e" &&
	git -C srv.git config --unset-all uploadpack.hideRefs "refs/heads/old|copy"
'

mkdir -p "$SCRATCH/a:b"
git init -q --bare "$SCRATCH/a:b/srv.git"
git -C "$SCRATCH/a:b/srv.git" embargo install >/dev/null

scenario 'a repository path with ":": every push is checked, none fails' '
	git -C dev push -q "$SCRATCH/a:b/srv.git" main 2>err &&
	hasnt err git-embargo &&
	commit dev "Second push, clean" &&
	git -C dev push -q "$SCRATCH/a:b/srv.git" main 2>err &&
	hasnt err git-embargo &&
	test "$(rev "a:b/srv.git" main)" = "$(rev dev main)" &&
	commit dev "Third push: CVE-2026-31337" &&
	! git -C dev push "$SCRATCH/a:b/srv.git" main 2>err &&
	has err "remote: git-embargo: push rejected" &&
	has err "Third push: CVE-2026-31337" &&
	test "$(rev "a:b/srv.git" main)" = "$(rev dev main~1)"
'

finish
