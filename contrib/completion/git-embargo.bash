# bash completion for git-embargo: `git embargo <TAB>` (through git's own
# completion, which loads this file for the git-embargo command) and
# `git-embargo <TAB>`.  Installed by `make install` into
# $(PREFIX)/share/bash-completion/completions/git-embargo.

_git_embargo_words()
{
	case "$1" in
	scan)        echo "--list --format --no-diffs --verbose --threads --help" ;;
	hash)        echo "--help" ;;
	fingerprint) echo "--id --until --all --not --help" ;;
	list)        echo "--list --export --no-aliases --no-patterns --help" ;;
	policy)      echo "--rev --format --strict --org-default --template --help" ;;
	hook)        echo "--verbose pre-push pre-receive update --help" ;;
	install)     echo "--pre-push --server --update --forge --hooks-dir --binary --force --help" ;;
	uninstall)   echo "--pre-push --server --update --forge --hooks-dir --help" ;;
	audit)       echo "--list --format --output --jobs --cache --refs --no-diffs --public --private --redact --strict --org-default --template --timeout --title --quiet --shard --merge --baseline --only-new --ignore --help" ;;
	esac
}

_git_embargo_commands="scan hash fingerprint list policy hook install uninstall audit"

# words: the command line from the subcommand on; cur: the word completed
_git_embargo_complete()
{
	local sub="$1" prev="$2" cur="$3"

	if [ -z "$sub" ]; then
		COMPREPLY=($(compgen -W "$_git_embargo_commands --help --version" -- "$cur"))
		return
	fi
	case "$prev" in
	--format)
		COMPREPLY=($(compgen -W "text json sarif html" -- "$cur")); return ;;
	--forge)
		COMPREPLY=($(compgen -W "gitea forgejo gitlab ghes gitolite plain" -- "$cur")); return ;;
	--list|--output|--binary|--template|--cache|--baseline|--ignore)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--hooks-dir)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	esac
	case "$cur" in
	-*)
		COMPREPLY=($(compgen -W "$(_git_embargo_words "$sub")" -- "$cur")) ;;
	*)
		case "$sub" in
		hook) COMPREPLY=($(compgen -W "pre-push pre-receive update" -- "$cur")) ;;
		install|uninstall|audit) COMPREPLY=($(compgen -d -- "$cur")) ;;
		esac ;;
	esac
}

# called by git's completion for `git embargo ...`
_git_embargo()
{
	local i sub=""

	for ((i = 2; i < cword; i++)); do
		case "${words[i]}" in
		-*) ;;
		*) sub="${words[i]}"; break ;;
		esac
	done
	_git_embargo_complete "$sub" "${words[cword-1]}" "${words[cword]}"
}

# `git-embargo ...` run directly
_git_embargo_direct()
{
	local i sub=""

	for ((i = 1; i < COMP_CWORD; i++)); do
		case "${COMP_WORDS[i]}" in
		-*) ;;
		*) sub="${COMP_WORDS[i]}"; break ;;
		esac
	done
	_git_embargo_complete "$sub" "${COMP_WORDS[COMP_CWORD-1]}" \
		"${COMP_WORDS[COMP_CWORD]}"
}
complete -o default -F _git_embargo_direct git-embargo
