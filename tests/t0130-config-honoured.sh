#!/bin/sh
# One embargo.* setting, read once, is honoured by every command that
# depends on it: embargo.maxBlobSize for the scan, the policy check and
# fingerprints; embargo.public for the audit's row.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
cat >list <<'LIST'
[embargo "CVE-2026-31337"]
	until = 2099-12-31
LIST
git init -q repo && cd repo

# a file of 40 KiB, then one line of it changed: repacked, one version
# is stored as a delta of the other
awk 'BEGIN { for (i = 1; i <= 4000; i++) printf "line %06d of the file\n", i }' \
	>big.txt
cat >SECURITY.md <<'POLICY'
# Security Policy

Report vulnerabilities to security@acme.io; we answer within 3 days and
disclose after the fix.
POLICY
git add big.txt SECURITY.md && git commit -q -m "start"
sed -i 's/^line 000007 of the file$/line 000007 of the file, changed/' big.txt
git commit -q -am "change one line"
git repack -q -a -d -f --window=10 --depth=10

expect "scan: the default reads the file" 0 git embargo scan --list ../list
git config embargo.maxBlobSize 8k
expect "scan: embargo.maxBlobSize makes the delta unreadable" 1 \
	git embargo scan --list ../list
contains "scan: the warning names the setting's value" \
	"over embargo.maxBlobSize (8192)"

git config embargo.maxBlobSize 100
expect "policy: a SECURITY.md over embargo.maxBlobSize" 1 \
	git embargo policy
contains "policy: says so" "more than embargo.maxBlobSize"
git config --unset embargo.maxBlobSize
expect "policy: under the default it is read" 0 git embargo policy

# a fix adding a line the parent already has in big.txt: that line is
# not distinctive, unless big.txt is over the limit and not read
printf 'line 000100 of the file\nreturn check_length(total, limit);\n' \
	>fix.c
git add fix.c && git commit -q -m "fix"
expect "fingerprint: the default strikes a line the parent has" 0 \
	git embargo fingerprint HEAD~1..HEAD
contains "fingerprint: one distinctive line" "1 distinctive line of 2 added"
git config embargo.maxBlobSize 8k
expect "fingerprint: embargo.maxBlobSize leaves the parent's file unread" 0 \
	git embargo fingerprint HEAD~1..HEAD
contains "fingerprint: both lines count" "2 distinctive lines of 2 added"
git config --unset embargo.maxBlobSize

git config embargo.maxBlobSize 0
expect "a bad embargo.maxBlobSize stops the scan" 2 \
	git embargo scan --list ../list
contains "scan: names the setting" "bad embargo.maxBlobSize 0"
expect "and the policy check, with the same message" 2 git embargo policy
contains "policy: names the setting" "bad embargo.maxBlobSize 0"
git config --unset embargo.maxBlobSize

# embargo.public: the audit's row reads the setting the server hook reads
cd "$SCRATCH"
git embargo audit --list list --format json repo >audit.json 2>&1
expect "audit: public unless said otherwise" 0 grep -q '"public":true' audit.json
git config -f repo/.git/config embargo.public false
git embargo audit --list list --format json repo >audit.json 2>&1
expect "audit: embargo.public false makes the row private" 0 \
	grep -q '"public":false' audit.json

finish
