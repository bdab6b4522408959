#!/bin/sh
# t0120-help-color.sh - every subcommand's --help prints its own usage
# and options on stdout with status 0; --no-color, --color and git's
# color.ui decide colour (config over NO_COLOR, the command line over
# both).
. "$(dirname "$0")/lib.sh"

for c in scan hash fingerprint list policy hook install uninstall audit; do
	expect "$c --help: status 0" 0 "$BIN" "$c" --help
	contains "$c --help: its own usage" "git embargo $c"
	[ "$c" = hash ] || contains "$c --help: its options" "--"
done
expect "hash -h is help, not an identifier" 0 "$BIN" hash -h
lacks "hash -h: no identifier error" "identifier 1"

R="$SCRATCH/repo"
git init -q "$R"
printf '[embargo "CVE-2026-31337"]\n' >"$SCRATCH/l.list"
git -C "$R" config embargo.list "$SCRATCH/l.list"
git -C "$R" commit -q --allow-empty -m "Fix CVE-2026-31337"
esc=$(printf '\033[')

cd "$R"
git config color.ui always
expect "color.ui=always: colour even into a pipe" 1 "$BIN" scan
contains "color.ui=always: escape codes" "$esc"
expect "--no-color wins over color.ui" 1 "$BIN" --no-color scan
lacks "--no-color: no escape codes" "$esc"
expect "--no-color after the command too" 1 "$BIN" scan --no-color
lacks "--no-color after the command: no escape codes" "$esc"
git config color.ui never
expect "--color wins over color.ui=never" 1 "$BIN" scan --color
contains "--color: escape codes" "$esc"
git config --unset color.ui
expect "auto into a pipe: no colour" 1 "$BIN" scan
lacks "auto: no escape codes" "$esc"
expect "a bad --color= is a usage error" 2 "$BIN" --color=sometimes scan
contains "--color=: says what it takes" "always, never or auto"
cd - >/dev/null

# scan's progress line: on a terminal, for a long run; never otherwise
B="$SCRATCH/big"
git init -q "$B"
i=0
while [ $i -lt 5000 ]; do
	i=$((i + 1))
	printf 'commit refs/heads/main\ncommitter A <a@example.org> %d +0000\ndata 6\nc%04d\n\n' \
		$((1700000000 + i)) $i
done | git -C "$B" fast-import --quiet
expect "scan without a terminal: no progress line" 0 sh -c \
	'cd "$1" && "$2" scan --list "$3" main' sh "$B" "$BIN" "$SCRATCH/l.list"
lacks "no progress without a terminal" "scanning:"
if have_pty; then
	expect "scan on a terminal: a progress line" 0 script -qc \
		"cd '$B' && '$BIN' scan --list '$SCRATCH/l.list' main" /dev/null
	contains "progress counts the commits" "git-embargo: scanning: 4096 commits"
else
	skip "scan on a terminal: a progress line" "no pseudo-terminal here (script(1) cannot open one)"
fi

finish
