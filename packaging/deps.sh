#!/bin/sh
# deps.sh PACKAGE... - make sure the Debian packages the build and the
# tests use are installed (make deps).
#
# Everything present costs one dpkg-query call.  Missing packages are
# installed with apt-get when run as root, or named with the command to
# run.  On a machine without Debian's tools nothing can be installed
# here: the libraries are checked with pkg-config and the missing ones
# named, so the build fails before it compiles, not in the middle.
set -u
LIBS="libgit2 libpcre2-8 jansson libcrypto libcmark-gfm zlib libpsl cmocka"

if ! command -v dpkg-query >/dev/null 2>&1; then
	missing=
	for l in $LIBS; do
		pkg-config --exists "$l" 2>/dev/null || missing="$missing $l"
	done
	command -v git >/dev/null 2>&1 || missing="$missing git(the program)"
	if [ -n "$missing" ]; then
		echo "make deps: not a Debian machine, and pkg-config finds" \
			"no:$missing; install them with the system's" \
			"package manager" >&2
		exit 2
	fi
	exit 0
fi

installed=$(dpkg-query -W -f='${Status} ${Package}\n' "$@" 2>/dev/null |
	sed -n 's/^install ok installed //p')
missing=
for p in "$@"; do
	case " $(echo $installed) " in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ]; then
	echo "make deps: missing packages; run:" >&2
	echo "  sudo apt-get install$missing" >&2
	exit 2
fi
echo "make deps: installing$missing"
apt-get update -q &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing
