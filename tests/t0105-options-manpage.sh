#!/bin/sh
# t0105-options-manpage.sh - the man page's SYNOPSIS shows exactly the
# options of each command's table (src/cli/opt.h; `git embargo
# --dump-options` prints them), and the parser reads every spelling the
# same way.
. "$(dirname "$0")/lib.sh"

MAN="$(dirname "$0")/../docs/git-embargo.1"

# "command --option" for every option a SYNOPSIS block shows: a block
# starts at ".Nm git embargo", ".Cm <command>" names its command, and
# every word starting with "-" on an .Op or .Fl line is an option (mdoc's
# Fl adds the first dash)
synopsis() {
	awk '
	/^\.Sh SYNOPSIS/ { on = 1; next }
	/^\.Sh / { on = 0 }
	!on { next }
	/^\.Nm git embargo/ { cmd = "git-embargo"; first = 1; next }
	first && /^\.Cm / { cmd = $2; first = 0; next }
	{ first = 0 }
	/^\.(Op|Fl) / && /Fl / {
		for (i = 2; i <= NF; i++)
			if ($i ~ /^-[a-z-]+$/)
				print cmd " -" $i
	}' "$MAN" | sort -u
}

"$BIN" --dump-options | sort -u >"$SCRATCH/tables"
synopsis >"$SCRATCH/man"
if [ -s "$SCRATCH/tables" ] && [ -s "$SCRATCH/man" ] &&
	cmp -s "$SCRATCH/tables" "$SCRATCH/man"; then
	pass "the man page's SYNOPSIS shows every option of every table"
else
	fail "the man page's SYNOPSIS and the option tables differ (< tables, > man page)"
	diff "$SCRATCH/tables" "$SCRATCH/man" | sed 's/^/    | /'
fi
for c in scan fingerprint list policy hook install uninstall audit; do
	grep -q "^$c --" "$SCRATCH/tables" && pass "$c has a table" ||
		fail "$c has no options in --dump-options"
done

# bash completion offers the same options (and --help, and the revision
# options --all and --not)
COMPLETION="$(dirname "$0")/../contrib/completion/git-embargo.bash"
for c in scan hash fingerprint list policy hook install uninstall audit; do
	words=$(bash -c '. "$1"; _git_embargo_words "$2"' sh "$COMPLETION" "$c" |
		tr ' ' '\n' | grep -e '^--' | grep -v -x -e --help -e --all -e --not |
		sort -u | tr '\n' ' ')
	table=$(sed -n "s/^$c //p" "$SCRATCH/tables" | sort -u | tr '\n' ' ')
	[ "$words" = "$table" ] && pass "completion of $c: the table's options" ||
		fail "completion of $c offers '$words', the table has '$table'"
done

# every spelling of an option with a value means the same
cd "$SCRATCH"
printf '[embargo "CVE-2026-31337"]\n' >l.list
git init -q repo && cd repo
git commit -q --allow-empty -m "Fix CVE-2026-31337"
for spelling in "--list ../l.list" "--list=../l.list"; do
	# shellcheck disable=SC2086
	expect "scan $spelling" 1 git embargo scan $spelling --format json
	contains "scan $spelling: the list is read" '"CVE-2026-31337"'
done
expect "a short switch: -v" 1 git embargo scan --list ../l.list -v
expect "revision options are revisions" 1 \
	git embargo scan --list ../l.list --branches=m* --not --tags
expect "'--' ends the options" 2 git embargo scan --list ../l.list -- --no-diffs
contains "after '--' it is a revision" "no-diffs"
expect "-j4 is --jobs 4" 1 git embargo audit -q --list ../l.list -j4 .
expect "-j 4 is --jobs 4" 1 git embargo audit -q --list ../l.list -j 4 .
expect "-j0 is --jobs 0" 2 git embargo audit -q --list ../l.list -j0 .
contains "...and named as --jobs" "bad --jobs '0'"
expect "bundled short switches: -qj2" 1 git embargo audit --list ../l.list -qj2 .

# a usage error names the option in one line, status 2
expect "an unknown option" 2 git embargo scan --frobnicate
contains "...is named" "git-embargo: unknown option '--frobnicate'"
expect "an unknown short option" 2 git embargo policy -z
contains "...is named" "git-embargo: unknown option '-z'"
expect "a value missing" 2 git embargo policy --rev
contains "...is named" "git-embargo: option '--rev' needs a value"
expect "a value given to a switch" 2 git embargo policy --strict=yes
contains "...is named" "git-embargo: option '--strict' takes no value"
expect "a global option unknown" 2 git embargo --frobnicate scan
contains "...is named" "git-embargo: unknown option '--frobnicate'"

# --help comes from the same table
expect "scan --help" 0 git embargo scan --help
contains "scan --help: --threads and its value" "--threads N"
contains "scan --help: -v, --verbose" "-v, --verbose"
lacks "scan --help: no revision options" "--all"

finish
