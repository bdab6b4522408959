#!/bin/sh
# t0010-layers.sh - the folders of src/ are layers, and each uses only
# the layers below it: util < core (src/) < policy < audit < cli.  Read
# off the built objects (nm), so a call counts whatever header declared
# it.  The library (everything but src/cli/) writes nothing to stdout
# and never exits: it returns errors, and the commands print and choose
# the status.
. "$(dirname "$0")/lib.sh"

obj=${O:?O must name the build folder}
rank() {
	case $1 in
	*/cli/*) echo 4 ;; */audit/*) echo 3 ;; */policy/*) echo 2 ;;
	*/util/*) echo 0 ;; *) echo 1 ;;
	esac
}
name() {
	case $1 in
	4) echo cli ;; 3) echo audit ;; 2) echo policy ;; 1) echo core ;;
	0) echo util ;;
	esac
}

objs=$(find "$obj" -name '*.o' ! -path '*/tests/*' ! -name lsan_default.o |
	sort)
n=$(printf '%s\n' "$objs" | grep -c .)
if [ "$n" -lt 40 ]; then
	fail "the objects are built ($n found in $obj)"
	finish
fi
pass "$n objects in $obj"

: >"$SCRATCH/def"
: >"$SCRATCH/use"
for o in $objs; do
	r=$(rank "$o")
	nm --defined-only "$o" | awk -v r="$r" -v o="$o" \
		'$2 ~ /^[TDBR]$/ { print $3, r, o }' >>"$SCRATCH/def"
	nm -u "$o" | awk -v r="$r" -v o="$o" '{ print $2, r, o }' \
		>>"$SCRATCH/use"
done
sort "$SCRATCH/def" >"$SCRATCH/d"
sort "$SCRATCH/use" >"$SCRATCH/u"
join "$SCRATCH/u" "$SCRATCH/d" >"$SCRATCH/uses"
upward=$(awk '$2 < $4 { print $3 " uses " $1 " of " $5 }' "$SCRATCH/uses")
if [ -z "$upward" ]; then
	pass "no layer uses a layer above it"
else
	fail "a layer uses a layer above it:"
	printf '%s\n' "$upward" | sed "s|$obj/||g; s/^/    | /"
fi
for l in 0 1 2 3; do
	k=$(awk -v l="$l" '$2 == l && $4 < l' "$SCRATCH/uses" | wc -l)
	[ "$l" = 0 ] && k=1
	if [ "$k" -gt 0 ]; then
		pass "$(name "$l") calls into the layers below it (each object has its rank)"
	else
		fail "$(name "$l") calls nothing below it: are the ranks read?"
	fi
done

lib=$(printf '%s\n' "$objs" | grep -v '/cli/')
bad=
for o in $lib; do
	s=$(nm -u "$o" | awk '{ print $2 }' |
		grep -E '^(exit|_exit|_Exit|stdout|printf|puts|putchar)$' |
		tr '\n' ' ')
	[ -z "$s" ] || bad="$bad ${o#"$obj"/}: $s;"
done
if [ -z "$bad" ]; then
	pass "the library neither exits nor writes to stdout"
else
	fail "the library exits or writes to stdout:$bad"
fi
# README's Architecture section names every module of the tree
readme=$(dirname "$0")/../README.md
src=$(dirname "$0")/../src
unnamed=
for f in "$src"/*.c "$src"/*/*.c; do
	m=$(basename "$f" .c)
	sed -n '/^## Architecture/,$p' "$readme" | grep -qF "\`$m\`" ||
		unnamed="$unnamed $m"
done
if [ -z "$unnamed" ]; then
	pass "README's Architecture section names every module"
else
	fail "README's Architecture section does not name:$unnamed"
fi
finish
