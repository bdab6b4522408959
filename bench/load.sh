#!/bin/sh
# bench/load.sh BIN [PUSHES] - the pre-receive hook under concurrent
# pushes.  One bare repository with the hook `git embargo install` wrote
# (the embargo list in the repository's config), served on 127.0.0.1 by
# `git daemon` and by `git http-backend` behind lighttpd.  For each
# transport in turn, PUSHES pushes (default 50) are started at once, each
# from a clone of its own to a branch of its own (refs/heads/load/N),
# LOAD_COMMITS commits each; one in three is dirty: an embargoed id in
# the message, in an added line or in a path of its middle commit.
#
# What is checked is the outcome, not the speed: every clean push landed
# with its ref at the pushed commit; every dirty one was rejected with no
# ref and none of its objects in the repository (the quarantine was
# dropped, nothing left of it); no other ref; `git fsck` finds nothing
# wrong nor dangling.  Reported besides: the hook's time, p50 and p99
# (nearest rank), both as the hooks/pre-receive script around it saw it
# (from starting /usr/bin/time to its exit) and by the hook's own
# --verbose account; the hook processes' CPU time and peak RSS
# (/usr/bin/time: %U + %S, in 10 ms steps, and %M); how many hooks ran
# at once.  Prints "N passed, N failed"; exits 1 on
# any failure.
#
#   sh bench/load.sh ./git-embargo        # make load: 2 x 50 pushes
#   LOAD_TRANSPORTS=git sh bench/load.sh build/tsan/git-embargo
#
# LOAD_TRANSPORTS   "git http" (git daemon, lighttpd + git http-backend)
# LOAD_COMMITS      commits per push (10)
# LOAD_BASE         commits already on main (200)
# LOAD_TIMEOUT      seconds one push may take before it is killed and
#                   counted as failed (300): the run is bounded
# LOAD_HOOK_TIMEOUT embargo.timeout in the repository (unset: the 4 s
#                   default; 0: no limit, for runs that must not depend
#                   on the machine's speed)
# LOAD_DAEMON_MAX   git daemon --max-connections (twice the pushes)
# LOAD_KEEP=1       keep the scratch folder and say where it is
#
# Why --max-connections: past it (git's default is 32) git daemon sends
# SIGTERM to a live connection from an address that has another one (on
# 127.0.0.1 every one has) and sleeps a second before accepting more:
# that client's push dies with "Connection reset by peer".  git daemon's
# listen backlog (5) is not the cause: Linux drops a connection that
# overflows it (net.ipv4.tcp_abort_on_overflow=0) and the client's
# kernel sends it again, a delay and not a reset.
set -u
BIN=${1:?usage: sh bench/load.sh BIN [PUSHES]}
[ -x "$BIN" ] || { echo "load: no such binary: '$BIN'" >&2; exit 2; }
[ -x /usr/bin/time ] ||
	{ echo "load: /usr/bin/time is missing: run 'make deps'" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
here=$(cd "$(dirname "$0")" && pwd)
N=${2:-${LOAD_PUSHES:-50}}
COMMITS=${LOAD_COMMITS:-10}
BASE=${LOAD_BASE:-200}
TRANSPORTS=${LOAD_TRANSPORTS:-git http}
LIMIT=${LOAD_TIMEOUT:-300}
DAEMON_MAX=${LOAD_DAEMON_MAX:-$((2 * N))}
LC_ALL=C
export LC_ALL

EMBARGO_BIN=$BIN
. "$here/../tests/lib.sh"
W=$SCRATCH
unset GIT_EMBARGO_TIMEOUT_MS
DAEMON_PID= HTTP_PID=
cleanup() {
	[ -z "$DAEMON_PID" ] || kill "$DAEMON_PID" 2>/dev/null
	[ -z "$HTTP_PID" ] || kill "$HTTP_PID" 2>/dev/null
	if [ -n "${LOAD_KEEP:-}" ]; then
		echo "kept: $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# pct P: the P-th percentile (nearest rank) of the numbers on stdin
pct() {
	sort -n | awk -v p="$1" '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		i = int(p * NR / 100); if (i < p * NR / 100) i++
		if (i < 1) i = 1
		print v[i] }'
}

# ---- the server repository --------------------------------------------
S=$W/srv.git
cat >"$W/embargo.list" <<'EOF'
[embargo "CVE-2026-31337"]
	until = 2099-12-31
	note = heap overflow in the parser
EOF
git init -q --bare "$S"
git -C "$S" config embargo.list "$W/embargo.list"
git -C "$S" config http.receivepack true
[ -z "${LOAD_HOOK_TIMEOUT:-}" ] ||
	git -C "$S" config embargo.timeout "$LOAD_HOOK_TIMEOUT"
awk -v n="$BASE" 'BEGIN {
	for (i = 1; i <= n; i++) {
		printf "commit refs/heads/main\nmark :%d\n", i
		printf "committer Load <load@example.org> %d +0000\n", 1767225600 + 60 * i
		msg = sprintf("Base change %d\n", i)
		printf "data %d\n%s", length(msg), msg
		if (i > 1) printf "from :%d\n", i - 1
		body = sprintf("line %d of the base\n", i)
		printf "M 644 inline src/file-%d.c\ndata %d\n%s\n", i % 40, length(body), body
	}
}' | git -C "$S" fast-import --quiet || exit 2
git -C "$S" embargo install >/dev/null || exit 2
# The installed hook, with --verbose for its own account, run by a
# hooks/pre-receive that times it from outside; one file per hook.
mkdir -p "$W/hooks"
sed 's/hook pre-receive/hook --verbose pre-receive/' \
	"$S/hooks/pre-receive" >"$W/pre-receive.installed"
cat >"$S/hooks/pre-receive" <<EOF
#!/bin/sh
# bench/load.sh: the installed hook, timed from outside
t0=\$(date +%s%N)
/usr/bin/time -f "%M %U %S" -o "$W/hooks/rss.\$\$" /bin/sh "$W/pre-receive.installed" "\$@"
rc=\$?
echo "\$t0 \$(date +%s%N) \$rc" >"$W/hooks/time.\$\$"
exit \$rc
EOF

# ---- the servers ------------------------------------------------------
for t in $TRANSPORTS; do
	case $t in
	git)
		start_git_daemon --base-path="$W" --export-all \
			--enable=receive-pack --max-connections="$DAEMON_MAX" "$W" ||
			{ echo "load: git daemon did not start:" >&2;
			  cat "$W/daemon.log" >&2; exit 2; }
		;;
	http)
		start_http_backend "$W" ||
			{ echo "load: lighttpd did not start (make deps installs it):" >&2;
			  cat "$W/lighttpd/error.log" >&2 2>/dev/null; exit 2; }
		;;
	*) echo "load: unknown transport '$t' (git, http)" >&2; exit 2 ;;
	esac
done

# ---- the clones: one per push, its commits made by fast-import ----------
# commits K DIRTY: LOAD_COMMITS commits on refs/heads/load/K from main,
# each adding a file of its own; DIRTY 1, 2, 3: the middle one names the
# embargoed id in its message, an added line, a path (0: none does).
# Push I of a transport is dirty when I is a multiple of 3; the kinds
# take turns across the transports.
dirty_kind() { # R I
	[ $(($2 % 3)) -eq 0 ] && echo $((($1 + $2 / 3 - 1) % 3 + 1)) || echo 0
}
commits() {
	awk -v k="$1" -v dirty="$2" -v n="$COMMITS" 'BEGIN {
		mid = int(n / 2) + 1
		for (j = 1; j <= n; j++) {
			printf "commit refs/heads/load/%d\n", k
			printf "committer Load <load@example.org> %d +0000\n", 1767225600 + 60 * j
			msg = sprintf("Load %d: change %d\n", k, j)
			path = sprintf("load/%d/change-%d.txt", k, j)
			body = sprintf("push %d, change %d\n", k, j)
			if (j == mid && dirty == 1)
				msg = sprintf("Load %d: fix overflow (CVE-2026-31337)\n", k)
			if (j == mid && dirty == 2)
				body = body "see CVE-2026-31337 for why\n"
			if (j == mid && dirty == 3)
				path = sprintf("load/%d/CVE-2026-31337.txt", k)
			printf "data %d\n%s", length(msg), msg
			if (j == 1) printf "from refs/heads/main^0\n"
			printf "M 644 inline %s\ndata %d\n%s\n", path, length(body), body
		}
	}'
}
mkdir -p "$W/c" "$W/p"
r=0
for t in $TRANSPORTS; do
	i=1
	while [ "$i" -le "$N" ]; do
		k=$((r * N + i))
		git clone -q --bare "$S" "$W/c/$k" &&
			commits "$k" "$(dirty_kind "$r" "$i")" | git -C "$W/c/$k" fast-import --quiet &&
			git -C "$W/c/$k" rev-parse "refs/heads/load/$k" >"$W/c/$k.tip" &&
			git -C "$W/c/$k" rev-list --objects main.."refs/heads/load/$k" |
			cut -d' ' -f1 >"$W/c/$k.objects" || exit 2
		i=$((i + 1))
	done
	r=$((r + 1))
done

# ---- the pushes: all of one transport at once -------------------------
push_one() {
	s=$(now_ms)
	timeout "$LIMIT" git -C "$W/c/$1" push "$2" "refs/heads/load/$1" \
		>"$W/p/$1.out" 2>&1
	echo "$? $s $(now_ms)" >"$W/p/$1.rc"
}

echo "load: $N pushes at once per transport ($TRANSPORTS), $COMMITS commits each," \
	"one in three dirty, onto $BASE commits; $(nproc) cores"
r=0
for t in $TRANSPORTS; do
	case $t in
	git) url=git://127.0.0.1:$DAEMON_PORT/srv.git name=git:// ;;
	http) url=http://127.0.0.1:$HTTP_PORT/git/srv.git name=http:// ;;
	esac
	rm -f "$W/hooks"/*
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	t0=$(now_ms)
	pids=
	i=1
	while [ "$i" -le "$N" ]; do
		push_one $((r * N + i)) "$url" &
		pids="$pids $!"
		i=$((i + 1))
	done
	wait $pids
	t1=$(now_ms)
	mkdir -p "$W/hooks.$t"
	mv "$W/hooks"/* "$W/hooks.$t/" 2>/dev/null

	clean=0 landed=0 dirty=0 rejected=0 objs=0 left=0 killed=0 limit=0
	late=0
	bad=
	i=1
	while [ "$i" -le "$N" ]; do
		k=$((r * N + i))
		read -r rc _ _ <"$W/p/$k.rc"
		[ "$rc" -ne 124 ] || killed=$((killed + 1))
		timed_out=
		! grep -q 'within embargo.timeout' "$W/p/$k.out" ||
			{ timed_out=1; limit=$((limit + 1)); }
		ref=$(git -C "$S" rev-parse -q --verify "refs/heads/load/$k")
		if [ $((i % 3)) -ne 0 ]; then
			clean=$((clean + 1))
			if [ "$rc" -eq 0 ] && [ "$ref" = "$(cat "$W/c/$k.tip")" ]; then
				landed=$((landed + 1))
			else
				[ -z "$timed_out" ] || late=$((late + 1))
				bad="$bad $k"
			fi
		else
			dirty=$((dirty + 1))
			# out of time is rejected too, without naming what
			if [ "$rc" -ne 0 ] && [ -z "$ref" ] &&
				grep -q 'push rejected: \(it would publish references\|the check did not finish\)' \
					"$W/p/$k.out"; then
				rejected=$((rejected + 1))
			else
				bad="$bad $k"
			fi
			while read -r o; do
				objs=$((objs + 1))
				! git -C "$S" cat-file -e "$o" 2>/dev/null || left=$((left + 1))
			done <"$W/c/$k.objects"
		fi
		i=$((i + 1))
	done
	if [ "$landed" -eq "$clean" ]; then
		pass "$name: $landed of $clean clean pushes landed, each ref at the pushed commit"
	else
		fail "$name: $landed of $clean clean pushes landed ($late refused: out of embargo.timeout)"
	fi
	if [ "$rejected" -eq "$dirty" ]; then
		pass "$name: $rejected of $dirty dirty pushes rejected, their refs absent"
	else
		fail "$name: $rejected of $dirty dirty pushes rejected"
	fi
	if [ "$left" -eq 0 ] && [ "$objs" -gt 0 ]; then
		pass "$name: none of the $objs objects of the rejected pushes is in the repository"
	else
		fail "$name: $left of the $objs objects of the rejected pushes are in the repository"
	fi
	shown=0
	for k in $bad; do
		[ "$shown" -lt 3 ] || break
		shown=$((shown + 1))
		echo "    push $k (exit $(cut -d' ' -f1 "$W/p/$k.rc")):"
		sed 's/^/    | /' "$W/p/$k.out" | head -n 20
	done

	# the figures
	for f in "$W/hooks.$t"/time.*; do
		[ -f "$f" ] && read -r a b _ <"$f" && echo "$a $b"
	done >"$W/intervals.$t"
	hooks=$(wc -l <"$W/intervals.$t")
	awk '{ print int(($2 - $1) / 1000000) }' "$W/intervals.$t" >"$W/ms.$t"
	sed -n 's/^remote: git-embargo: pre-receive: .*; \([0-9]*\) ms: open.*/\1/p' \
		"$W/p"/*.out >"$W/own.$t"
	for f in "$W/hooks.$t"/rss.*; do
		[ -f "$f" ] && tail -n 1 "$f"
	done >"$W/usage.$t"
	cut -d' ' -f1 "$W/usage.$t" >"$W/rss.$t"
	awk '{ print int(($2 + $3) * 1000 + 0.5) }' "$W/usage.$t" >"$W/cpu.$t"
	at_once=$(awk '{ print $1, 1; print $2, -1 }' "$W/intervals.$t" |
		sort -n -k1,1 -k2,2n | awk '{ c += $2; if (c > m) m = c } END { print m + 0 }')
	i=1
	while [ "$i" -le "$N" ]; do
		cut -d' ' -f2,3 "$W/p/$((r * N + i)).rc"
		i=$((i + 1))
	done | awk '{ print $1, 1; print $2, -1 }' |
		sort -n -k1,1 -k2,2n >"$W/pushes.$t"
	in_flight=$(awk '{ c += $2; if (c > m) m = c } END { print m + 0 }' "$W/pushes.$t")
	echo "$name: $N pushes in $((t1 - t0)) ms, up to $in_flight at once (load $load0" \
		"before, $(cut -d' ' -f1-3 /proc/loadavg) after); $hooks hooks ran, up to $at_once at once"
	echo "$name: hook p50 $(pct 50 <"$W/ms.$t") ms, p99 $(pct 99 <"$W/ms.$t") ms," \
		"max $(pct 100 <"$W/ms.$t") ms; its own account p50 $(pct 50 <"$W/own.$t") ms," \
		"p99 $(pct 99 <"$W/own.$t") ms;" \
		"its CPU (user + system) p50 $(pct 50 <"$W/cpu.$t") ms, p99 $(pct 99 <"$W/cpu.$t") ms"
	echo "$name: hook peak RSS $(pct 100 <"$W/rss.$t") KB (median $(pct 50 <"$W/rss.$t") KB);" \
		"$killed pushes killed at ${LIMIT} s, $limit hooks stopped by embargo.timeout"
	r=$((r + 1))
done
cat "$W/ms".* >"$W/ms.all" 2>/dev/null
cat "$W/rss".* >"$W/rss.all" 2>/dev/null
cat "$W/cpu".* >"$W/cpu.all" 2>/dev/null
echo "all: hook p50 $(pct 50 <"$W/ms.all") ms, p99 $(pct 99 <"$W/ms.all") ms;" \
	"CPU p50 $(pct 50 <"$W/cpu.all") ms, p99 $(pct 99 <"$W/cpu.all") ms;" \
	"peak RSS $(pct 100 <"$W/rss.all") KB"

# ---- the repository as a whole ----------------------------------------
{
	echo "refs/heads/main $(git -C "$S" rev-parse main)"
	r=0
	for t in $TRANSPORTS; do
		i=1
		while [ "$i" -le "$N" ]; do
			k=$((r * N + i))
			[ $((i % 3)) -eq 0 ] ||
				echo "refs/heads/load/$k $(cat "$W/c/$k.tip")"
			i=$((i + 1))
		done
		r=$((r + 1))
	done
} | sort >"$W/refs.want"
git -C "$S" for-each-ref --format='%(refname) %(objectname)' | sort >"$W/refs.got"
if cmp -s "$W/refs.want" "$W/refs.got"; then
	pass "refs: main and the $(($(wc -l <"$W/refs.got") - 1)) clean branches, nothing else"
else
	fail "refs: not what the clean pushes made"
	diff "$W/refs.want" "$W/refs.got" | head -n 20 | sed 's/^/    | /'
fi
git -C "$S" fsck --no-progress >"$W/fsck.out" 2>&1
fsck=$?
if [ "$fsck" -eq 0 ] && ! grep -q dangling "$W/fsck.out"; then
	pass "git fsck: no error, nothing dangling"
else
	fail "git fsck: exit $fsck"
	head -n 20 "$W/fsck.out" | sed 's/^/    | /'
fi
q=$(find "$S/objects" -maxdepth 1 \( -name 'tmp_objdir-*' -o -name 'incoming-*' \) | wc -l)
if [ "$q" -eq 0 ]; then
	pass "no quarantine folder left in objects/"
else
	fail "$q quarantine folders left in objects/"
fi
case " $TRANSPORTS " in *" git "*)
	# a connection killed past --max-connections ends "with error"
	drop=$(grep -c 'Disconnected (with error)\|Too many children' "$W/daemon.log")
	if [ "$drop" -eq 0 ]; then
		pass "git daemon (--max-connections=$DAEMON_MAX): every connection ended cleanly"
	else
		fail "git daemon (--max-connections=$DAEMON_MAX): $drop connections killed or dropped"
	fi
	;;
esac
finish
