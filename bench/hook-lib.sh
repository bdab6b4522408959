# bench/hook-lib.sh - what the hook benchmarks share (sourced): an
# isolated git environment in $W, the binary on PATH as `git embargo`,
# an embargo list in the global config, and the history in $repo made
# once by mkhistory.sh.  Needs BIN, W, repo, COMMITS and here set.
export GIT_CONFIG_NOSYSTEM=1 HOME=$W/home
export GIT_CONFIG_GLOBAL=$HOME/.gitconfig
unset GIT_DIR GIT_EMBARGO_LIST GIT_EMBARGO_TIMEOUT_MS
mkdir -p "$HOME" "$W/bin"
ln -sf "$BIN" "$W/bin/git-embargo"
PATH=$W/bin:$PATH
cat >"$W/embargo.list" <<'LIST'
[embargo "CVE-2026-31337"]
	until = 2099-12-31
[embargo "GHSA-abcd-efgh-ijkl"]
	until = 2099-12-31
LIST
printf '[user]\n\tname = Bench\n\temail = bench@example.org\n[embargo]\n\tlist = %s\n' \
	"$W/embargo.list" >"$HOME/.gitconfig"

if [ "$(git -C "$repo" rev-list --count main 2>/dev/null || echo 0)" -lt "$COMMITS" ]; then
	echo "making a $COMMITS-commit history in $repo (once; about a minute)" >&2
	sh "$here/mkhistory.sh" "$repo" "$COMMITS" >&2
fi
