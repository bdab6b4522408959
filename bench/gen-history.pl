#!/usr/bin/perl
# gen-history.pl - write a large synthetic history as a git fast-import
# stream on stdout.
#
#   perl bench/gen-history.pl [--commits N] [--seed S] [--manifest FILE]
#       | git fast-import --export-marks=MARKS
#
# The shape follows git.git's own history (measured on it: about 500
# bytes of message per commit, 2.8 files changed per non-merge commit,
# a quarter of the commits merges of short topic branches): a tree of
# about 2,000 files (a few hundred hot ones, larger), every commit
# changing a few hunks in 1-8 files, now and then adding, deleting or
# renaming a file, topic branches forked from main and merged back with
# --no-ff merges while main moves on, annotated release tags, and a few
# public CVE numbers in messages as noise for the identifier shapes.
#
# A few references to the embargoed identifiers of bench/synth.list are
# planted in messages, added lines, paths, tag and branch names, next to
# near misses that must not match (CVE-2026-313370, XCVE-2026-31337:
# a letter of the same case before it; xCVE-2026-31337 is a camelCase
# hump and does match).
# --manifest writes one line per planted reference: "KIND :MARK TEXT",
# where MARK is the fast-import mark of the commit (or a ref name).
#
# Deterministic for a given seed and perl (perl's rand is drand48).
# Only perl-base is used.
use strict;
use warnings;

my $commits = 200000;
my $seed = 20260;
my $manifest;
while (@ARGV) {
	my $a = shift @ARGV;
	if ($a eq '--commits') { $commits = shift @ARGV }
	elsif ($a eq '--seed') { $seed = shift @ARGV }
	elsif ($a eq '--manifest') { $manifest = shift @ARGV }
	else { die "usage: gen-history.pl [--commits N] [--seed S] [--manifest FILE]\n" }
}
srand($seed);
binmode STDOUT;
my $MF;
if (defined $manifest) {
	open($MF, '>', $manifest) or die "cannot write '$manifest': $!\n";
}

# --- words, names, lines ---------------------------------------------------

my @syl = qw(ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko la le
	li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa
	se si so su ta te ti to tu va ve vi vo za ze zi st tr pl gr ch sh th);
my @eng = qw(the a an of to in for on with from by at and or not when
	if that this which as is are was be been it its into only also
	object tree blob commit ref refs branch merge rebase index cache pack
	file path name buffer string list map hash table option config value
	error warning message output input stream parser reader writer walk
	revision range diff patch hunk line lines offset length size count
	memory leak overflow underflow bound check test tests case cases
	handle handles return returns call calls caller function helper
	struct field flag flags mode state status update updates remove add
	fix fixes fixed avoid allow make use keep move rename split teach
	document simplify refactor cleanup drop stop start prepare convert
	correctly properly instead again still already never always rather);
my @areas = qw(core diff merge refs pack index config remote fetch push
	transport http ssh daemon log rev-list grep blame apply am rebase
	commit tag notes submodule worktree stash bisect gc fsck repack
	credential help docs tests ci build i18n mailmap sequencer reftable);
my @verbs = qw(fix teach avoid allow drop add remove simplify refactor
	document use make stop handle convert rename split prepare clean
	optimize deprecate introduce support reject);
my @first = qw(Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy
	Mallory Niaj Olivia Peggy Rupert Sybil Trent Victor Walter Yusuf
	Zoe Akira Bogdan Chen Dmitri Elif Fatima Goran Hiro Ines Jun Kasia
	Lars Maria Nils Omar Priya Quentin Rosa Sven Tomas Uma Vera Wei
	Xavier Yara Zdenek Junio Jeff Johannes Taylor Patrick Elijah Derrick);
my @last = qw(Smith Jones Garcia Müller Nakamura Kowalski Petrov Rossi
	Dubois Novak Hansen Larsen Silva Costa Yilmaz Kim Park Chen Wang
	Singh Patel Okafor Mensah Andersson Nieminen Horvath Popescu Ivanova
	Schindelin Hamano King Steinhardt Newren Stolee Blau Brown Walker);

sub word { my $n = 1 + int(rand(3)); join '', map { $syl[rand @syl] } 1 .. $n }
sub eword { $eng[rand @eng] }

my @people;
for (1 .. 800) {
	my ($f, $l) = ($first[rand @first], $last[rand @last]);
	my $mail = lc("$f.$l") . '@' . (qw(example.org example.com mail.test
		users.noreply.example kernel.test))[rand 5];
	$mail =~ s/[^a-z0-9.@]//g;
	push @people, "$f $l <$mail>";
}
# a few prolific people, as in real projects
sub person { rand() < 0.4 ? $people[int(rand(12))] : $people[rand @people] }

my @ops = ('if (', 'while (', 'return ', 'for (i = 0; i < ', '', '', '',
	'else if (', 'error = ', 'ret = ', 'goto ', 'free(', 'memcpy(');
my @ctypes = qw(int char size_t void unsigned struct const static);
sub code_line {
	my $indent = "\t" x int(rand(4));
	my $r = rand();
	return '' if $r < 0.10;
	return $indent . '}' if $r < 0.16;
	return $indent . '/* ' . join(' ', map { eword() } 1 .. 3 + int(rand(8))) . ' */'
		if $r < 0.26;
	return $indent . $ctypes[rand @ctypes] . ' ' . word() . '_' . word() .
		($r < 0.3 ? ' = ' . int(rand(4096)) : '') . ';' if $r < 0.38;
	my $op = $ops[rand @ops];
	my $args = join(', ', map { rand() < 0.3 ? int(rand(1000)) : word() } 1 .. 1 + int(rand(3)));
	my $call = word() . '_' . word() . "($args)";
	return $indent . $op . $call . ($op =~ /\($/ ? ($r < 0.7 ? ' < 0)' : ')') : ';');
}
sub doc_line {
	return '' if rand() < 0.12;
	my $s = join ' ', map { eword() } 1 .. 4 + int(rand(9));
	return ucfirst($s) . (rand() < 0.5 ? '.' : ',');
}

# A pool of lines that files share, as real code repeats itself.
my @pool = map { code_line() } 1 .. 30000;
my @dpool = map { doc_line() } 1 .. 8000;
sub new_line {
	my ($doc) = @_;
	if ($doc) { return rand() < 0.6 ? $dpool[rand @dpool] : doc_line() }
	return rand() < 0.7 ? $pool[rand @pool] : code_line();
}

# lognormal size in bytes
sub lognormal {
	my ($median, $sigma, $max) = @_;
	my $z = sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand());
	my $s = int($median * exp($sigma * $z));
	return $s < 60 ? 60 : $s > $max ? $max : $s;
}

sub make_content {
	my ($size, $doc) = @_;
	my @l;
	my $n = 0;
	while ($n < $size) {
		my $x = new_line($doc);
		push @l, $x;
		$n += length($x) + 1;
	}
	return join("\n", @l) . "\n";
}

# --- the tree --------------------------------------------------------------

my %files;        # path -> content
my @paths;        # every path, for uniform picks
my %pidx;         # path -> index in @paths
my @hot;          # hot paths (never deleted)
my %born;         # path -> commit number that added it
my %locked;       # path -> 1 while a topic branch owns it
my %target;       # path -> the line count it drifts around
my $uniq = 0;

sub add_path { my ($p) = @_; $pidx{$p} = @paths; push @paths, $p }
sub del_path {
	my ($p) = @_;
	my $i = delete $pidx{$p};
	my $last = pop @paths;
	if ($last ne $p) { $paths[$i] = $last; $pidx{$last} = $i }
	delete $files{$p};
	delete $born{$p};
	delete $target{$p};
}
sub is_doc { $_[0] =~ /\.(md|txt|adoc)$/ }
sub new_path {
	my $r = rand();
	my $p;
	do {
		$uniq++;
		my $a = $areas[rand @areas];
		$p = $r < 0.55 ? "src/$a/" . word() . "-$uniq.c" :
		     $r < 0.70 ? "include/$a/" . word() . "-$uniq.h" :
		     $r < 0.85 ? "Documentation/$a-" . word() . "-$uniq.adoc" :
		                 sprintf("t/t%04d-%s-%s.sh", $uniq % 10000, $a, word());
	} while (exists $files{$p});
	return $p;
}

# --- output ----------------------------------------------------------------

my $time = 1112911993; # 2005-04-07, as git's first commit
my $mark = 0;
my $n = 0;            # commits written
my ($main_tip, $topic);

sub data { my ($s) = @_; print 'data ', length($s), "\n", $s, "\n" }

sub modify {
	my ($p) = @_;
	my @l = split /\n/, $files{$p}, -1;
	pop @l if @l && $l[-1] eq '';
	my $doc = is_doc($p);
	my $hunks = 1 + int(rand(rand() < 0.8 ? 2 : 5));
	$target{$p} //= @l;
	for (1 .. $hunks) {
		my $at = int(rand(@l + 1));
		my $del = rand() < 0.3 ? 0 : int(rand(rand() < 0.85 ? 6 : 30));
		my $ins = int(rand(rand() < 0.85 ? 6 : 30)) + ($del ? 0 : 1);
		# files drift around their first size instead of growing
		($del, $ins) = ($ins, $del)
			if @l > 1.3 * $target{$p} + 20 && $ins > $del;
		$del = @l - $at if $at + $del > @l;
		splice(@l, $at, $del, map { new_line($doc) } 1 .. $ins);
	}
	$files{$p} = join("\n", @l) . "\n";
}

sub plant_line {
	my ($p, $line) = @_;
	my @l = split /\n/, $files{$p}, -1;
	pop @l if @l && $l[-1] eq '';
	splice(@l, int(rand(@l + 1)), 0, $line);
	$files{$p} = join("\n", @l) . "\n";
}

my @cves_noise = map { sprintf('CVE-%d-%d', 2005 + int(rand(20)), 1000 + int(rand(40000))) } 1 .. 300;

sub message {
	my ($area) = @_;
	my $subj = "$area: " . $verbs[rand @verbs] . ' ' . join(' ', map { eword() } 1 .. 2 + int(rand(6)));
	my @body;
	my $paras = rand() < 0.1 ? 0 : 1 + int(rand(3));
	for (1 .. $paras) {
		my $lines = 1 + int(rand(6));
		my @w = map { eword() } 1 .. $lines * 10;
		my ($cur, @out) = ('');
		for my $w (@w) {
			if (length($cur) + length($w) > 70) { push @out, $cur; $cur = $w }
			else { $cur = $cur eq '' ? ucfirst($w) : "$cur $w" }
		}
		push @out, "$cur.";
		push @body, join("\n", @out);
	}
	if (rand() < 0.004) {
		push @body, 'This is the same class of problem as ' .
			$cves_noise[rand @cves_noise] . '.';
	}
	my @tr;
	push @tr, 'Reported-by: ' . person() if rand() < 0.1;
	push @tr, 'Helped-by: ' . person() if rand() < 0.15;
	push @tr, 'Signed-off-by: ' . person();
	push @tr, 'Signed-off-by: ' . person() if rand() < 0.6;
	push @body, join("\n", @tr);
	return join("\n\n", $subj, @body) . "\n";
}

# Planted references: what, where, and whether it must be found.
# The ids are those of bench/synth.list.
my @msg_plants = (
	[1, 'Fix the heap overflow reported as CVE-2026-31337.'],
	[1, 'Security: cve_2026_31337 follow-up, see the advisory.'],
	[1, 'Backport of the CVE 2026 31337 fix to maint.'],
	[1, 'Refs: CVE.2026.31337'],
	[1, 'Fixes: GHSA-q3x9-8v5p-2m7k'],
	[1, '(SEC-1042) tighten the length check'],
	[1, 'Reported privately as CVE-2026-40000; embargoed until release.'],
	[0, 'Unrelated to CVE-2026-313370, which is a different issue.'],
	[0, 'Not CVE-2026-3133 either.'],
	[0, 'See XCVE-2026-31337 in the old tracker export.'],
	[0, 'The SEC-10420 ticket is a different one.'],
);
my @line_plants = (
	[1, "\t/* workaround for CVE-2026-31337 until the embargo ends */"],
	[1, '# SEC-1042: reject negative lengths'],
	[1, "\treturn check_len(len); /* cve-2026-40000 */"],
	[0, "\t/* CVE-2026-313370 is not ours */"],
);
my @path_plants = ('Documentation/security/CVE-2026-31337.adoc',
	't/t9999-sec-1042-regression.sh');

# commit numbers that get a plant, spread over the history
my (%plant_msg, %plant_line, %plant_path);
{
	my $k = 0;
	for my $i (0 .. 2 * @msg_plants - 1) {
		$plant_msg{int(($i + 0.5) * $commits / (2 * @msg_plants))} = $msg_plants[$i % @msg_plants];
	}
	for my $i (0 .. 3 * @line_plants - 1) {
		$plant_line{int(($i + 0.3) * $commits / (3 * @line_plants)) + 7} = $line_plants[$i % @line_plants];
	}
	for my $i (0 .. $#path_plants) {
		$plant_path{int(($i + 0.6) * $commits / @path_plants) + 13} = $path_plants[$i];
	}
}

sub manifest { print $MF join(' ', @_), "\n" if $MF }

# one commit on BRANCH; returns its mark
sub commit {
	my (%o) = @_;
	my $who = person();
	$time += int(rand(5400));
	$mark++;
	print "commit $o{ref}\nmark :$mark\n";
	print "author $who $time +0000\n";
	print 'committer ', (rand() < 0.7 ? $who : $people[0]), " $time +0000\n";
	data($o{msg});
	print "from :$o{from}\n" if $o{from};
	print "merge :$o{merge}\n" if $o{merge};
	for my $p (@{$o{del} || []}) { print "D $p\n" }
	for my $p (@{$o{mod} || []}) {
		print 'M ', ($p =~ /\.sh$/ ? '100755' : '100644'), " inline $p\n";
		data($files{$p});
	}
	print "\n";
	$n++;
	return $mark;
}

# initial import: ~2000 files
{
	my @mod;
	for (1 .. 2000) {
		my $p = new_path();
		my $hot = @hot < 250;
		$files{$p} = make_content($hot ? lognormal(6000, 0.9, 120000) :
			lognormal(2500, 1.0, 60000), is_doc($p));
		$born{$p} = 0;
		add_path($p);
		push @hot, $p if $hot;
		push @mod, $p;
	}
	for my $p ('Makefile', 'README.md', 'COPYING') {
		$files{$p} = make_content(lognormal(6000, 0.5, 40000), $p ne 'Makefile');
		$born{$p} = 0;
		add_path($p);
		push @hot, $p;
		push @mod, $p;
	}
	$main_tip = commit(ref => 'refs/heads/main', msg => "Initial revision of the synthetic project\n",
		mod => \@mod);
}

sub pick_file {
	my ($fork) = @_; # topic: only files that existed at the fork
	for (1 .. 50) {
		my $p = rand() < 0.55 ? $hot[rand @hot] : $paths[rand @paths];
		next if $locked{$p} && !$fork;
		next if $fork && ($born{$p} > $fork->{at} || ($locked{$p} && $locked{$p} ne $fork->{name}));
		next if $fork && !$fork->{own}{$p} && $fork->{busy}{$p};
		return $p;
	}
	return undef;
}

my $tags = 0;
my %synth;
my @topic_names;
# a topic: { name, at (commit number at fork), from (mark), tip, left, own{} }
while ($n < $commits) {
	my $on_topic = $topic && rand() < 0.6;
	if (!$topic && rand() < 0.6) {
		my $name = sprintf('%s/%s-%s', lc(substr($first[rand @first], 0, 2)), eword(), word());
		$topic = { name => $name, at => $n, from => $main_tip, tip => undef,
			left => 1 + int(rand(rand() < 0.9 ? 3 : 10)), own => {}, busy => {} };
		# main must leave the topic's files alone: lock on first touch
	}
	my $area = $areas[rand @areas];
	my $msg = message($area);
	my (@mod, @del);
	my $num = $n;

	if ($topic && $topic->{left} == 0) {
		# merge the topic into main (--no-ff)
		my @paths_t = sort keys %{$topic->{own}};
		$msg = "Merge branch '$topic->{name}'\n\n* $topic->{name}:\n  " .
			join("\n  ", map { $_ . ' ' . join(' ', map { eword() } 1 .. 4) } 1 .. 2) . "\n";
		$main_tip = commit(ref => 'refs/heads/main', msg => $msg, from => $main_tip,
			merge => $topic->{tip}, mod => \@paths_t);
		delete $locked{$_} for @paths_t;
		undef $topic;
		# a plant due on this commit number moves to the next one
		for my $h (\%plant_msg, \%plant_line, \%plant_path) {
			$h->{$num + 1} = delete $h->{$num} if exists $h->{$num};
		}
		next;
	}

	my $nfiles = do { my $r = rand(); $r < 0.45 ? 1 : $r < 0.72 ? 2 : $r < 0.86 ? 3 : 4 + int(rand(5)) };
	my %seen;
	for (1 .. $nfiles) {
		my $p = pick_file($on_topic ? $topic : undef);
		next if !defined $p || $seen{$p}++;
		modify($p);
		push @mod, $p;
	}
	if (!$on_topic) {
		my $r = rand();
		if ($r < 0.02 || !@mod) {
			my $p = new_path();
			$files{$p} = make_content(lognormal(2500, 1.0, 60000), is_doc($p));
			$born{$p} = $n; add_path($p); push @mod, $p;
		} elsif ($r < 0.025 || $r > 0.997) {
			# delete, or rename (delete + add with small changes)
			my $p = $paths[rand @paths];
			unless ($locked{$p} || grep { $_ eq $p } @hot, @mod) {
				my $c = $files{$p};
				push @del, $p;
				del_path($p);
				if ($r > 0.997) {
					my $q = new_path();
					$files{$q} = $c; $born{$q} = $n; add_path($q);
					modify($q) if rand() < 0.5;
					push @mod, $q;
				}
			}
		}
		$topic->{busy}{$_} = 1 for $topic ? @mod : ();
	} elsif (rand() < 0.1) {
		my $p = new_path();
		$files{$p} = make_content(lognormal(2500, 1.0, 60000), is_doc($p));
		$born{$p} = $n; add_path($p); push @mod, $p;
	}
	@mod = grep { exists $files{$_} } @mod;
	if (!@mod && !@del) {
		my $p = new_path();
		$files{$p} = make_content(lognormal(2500, 1.0, 60000), is_doc($p));
		$born{$p} = $n; add_path($p); push @mod, $p;
	}

	# plants
	if (my $pl = $plant_msg{$num}) {
		$msg =~ s/\n\n/\n\n$pl->[1]\n\n/;
		manifest($pl->[0] ? 'message' : 'miss-message', ':' . ($mark + 1), $pl->[1]);
	}
	if (my $pl = $plant_line{$num}) {
		my $p = $mod[0] // $hot[0];
		push @mod, $p unless @mod;
		plant_line($p, $pl->[1]);
		manifest($pl->[0] ? 'line' : 'miss-line', ':' . ($mark + 1), $p);
	}
	if (my $pp = $plant_path{$num}) {
		$pp =~ s/(\.\w+)$/-$num$1/;
		$files{$pp} = "Notes on the issue.\n" . make_content(800, 1);
		$born{$pp} = $n; add_path($pp); push @mod, $pp;
		manifest('path', ':' . ($mark + 1), $pp);
	}

	if ($on_topic) {
		for my $p (@mod) { $locked{$p} = $topic->{name}; $topic->{own}{$p} = 1 }
		my $from = $topic->{tip} ? undef : $topic->{from};
		$topic->{tip} = commit(ref => 'refs/heads/topic', msg => $msg, from => $from,
			del => \@del, mod => \@mod);
		$topic->{left}--;
	} else {
		$main_tip = commit(ref => 'refs/heads/main', msg => $msg, del => \@del, mod => \@mod);
		if ($n % 2000 == 0) {
			$tags++;
			my $v = sprintf('v%d.%d.0', 1 + int($tags / 20), $tags % 20);
			print "tag $v\nfrom :$main_tip\ntagger $people[0] $time +0000\n";
			data("Release $v\n\n" . join("\n", map { doc_line() } 1 .. 5) . "\n");
		}
	}
	# the memory check scans the first 50,000 commits: mark them
	for my $k (50000, 100000) {
		next if $n < $k || $synth{$k}++;
		print "reset refs/tags/synth-", $k / 1000, "k\nfrom :$main_tip\n\n";
	}
}
if ($topic && $topic->{tip}) {
	# leave the last topic unmerged, as a live branch
}

# refs whose names carry an identifier: a branch and an annotated tag
print "reset refs/heads/fix/CVE-2026-31337\nfrom :$main_tip\n\n";
manifest('ref', 'refs/heads/fix/CVE-2026-31337', '-');
print "tag sec-1042-fixed\nfrom :$main_tip\ntagger $people[0] $time +0000\n";
data("Fix for SEC-1042, see the advisory.\n");
manifest('tag', 'refs/tags/sec-1042-fixed', 'name');
manifest('tag', 'refs/tags/sec-1042-fixed', 'message');
print "done\n";
close $MF if $MF;
