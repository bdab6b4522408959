# git-embargo - keep embargoed security issues out of public git history.
#
#   make            build ./git-embargo and libembargo.a
#   make deps       install the Debian packages the build and tests use
#   make check      build and run every test (SANITIZE=1: ASan+UBSan;
#                   SANITIZE=thread: ThreadSanitizer; VALGRIND=1: memcheck)
#   make check-repeat  make check N times in a row (N=10), to a failure
#   make demo       scan a small demo repository with planted references
#   make bench      run the benchmarks in bench/ (minutes)
#   make load       50 pushes at once over git:// and http:// (bench/load.sh)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deb        build/git-embargo_<version>_<arch>.deb (packaging/deb.sh)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/git-embargo
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libgit2 libpcre2-8 jansson libcrypto libcmark-gfm zlib libpsl

WARNINGS = -Wall -Wextra -Wpedantic -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wwrite-strings -Wno-unused-parameter
ifneq ($(CI),)
WARNINGS += -Werror
endif

ifeq ($(SANITIZE),1)
O = build/sanitize
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
BIN = $(O)/git-embargo
else ifeq ($(SANITIZE),thread)
O = build/tsan
SAN = -fsanitize=thread
BIN = $(O)/git-embargo
else
O = build/default
SAN =
BIN = git-embargo
endif

# libgit2 1.5's own leak, and glibc's tzset under a lock ThreadSanitizer
# cannot see, suppressed in every process: tests/lsan_default.c,
# tests/tsan_default.c
ifeq ($(SANITIZE),1)
SAN_OBJ = $(O)/lsan_default.o
else ifeq ($(SANITIZE),thread)
SAN_OBJ = $(O)/tsan_default.o
endif

# make check VALGRIND=1: the tests and every git-embargo they start run
# under memcheck; an error or a definite leak fails the run (tests/run.sh)
ifeq ($(VALGRIND),1)
CHECK_ENV = EMBARGO_VALGRIND="valgrind -q --error-exitcode=97 \
	--leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --num-callers=30 \
	--suppressions=$(CURDIR)/tests/valgrind.supp"
endif

OPT ?= -O2 -g
EMB_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARNINGS) $(SAN) -Iinclude \
	-MMD -MP -pthread
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) \
	-lcmark-gfm-extensions
ALL_CFLAGS = $(EMB_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN) -pthread $(LDFLAGS)

# The layers (README, "Architecture"): src/cli/ is the binary; the
# library is the core in src/ and its policy, audit and util folders.
CLI_SRC = $(wildcard src/cli/*.c)
LIB_SRC = $(wildcard src/*.c src/util/*.c src/policy/*.c src/audit/*.c)
LIB_OBJ = $(LIB_SRC:src/%.c=$(O)/%.o)
CLI_OBJ = $(CLI_SRC:src/%.c=$(O)/%.o)
LIB = $(O)/libembargo.a

TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(O)/tests/%)
TEST_HELPER = $(O)/tests/helpers.o
TEST_SH = $(sort $(wildcard tests/t[0-9]*.sh))

DEB_PACKAGES = build-essential pkg-config git libgit2-dev libpcre2-dev \
	libcmocka-dev libjansson-dev libssl-dev libcmark-gfm-dev \
	libcmark-gfm-extensions-dev zlib1g-dev libpsl-dev parallel chromium time \
	man-db jq pre-commit clang clang-format libclang-rt-14-dev llvm \
	valgrind lighttpd

.PHONY: all deps check check-repeat check-unit check-e2e demo bench load install \
	uninstall clean format check-format fuzz deb

all: $(BIN) $(LIB)

ifneq ($(SANITIZE),1)
$(LIB) $(BIN): | build-ok
endif

$(O)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB) $(SAN_OBJ)
	$(CC) -o $@ $(CLI_OBJ) $(SAN_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(O)/lsan_default.o $(O)/tsan_default.o: $(O)/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

.PHONY: build-ok
build-ok:
	@$(PKG_CONFIG) --exists $(PKGS) || { missing=""; \
	  for p in $(PKGS); do $(PKG_CONFIG) --exists $$p || \
	    missing="$$missing $$p"; done; \
	  echo "git-embargo: pkg-config finds no$$missing: run 'make deps'" >&2; \
	  exit 2; }

# The tests find tests/data/ wherever the build runs from.
TEST_CFLAGS = -Itests -DTH_DATA_DIR='"$(CURDIR)/tests/data"'

$(O)/tests/helpers.o: tests/helpers.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(O)/tests/%: tests/%.c $(TEST_HELPER) $(LIB) $(SAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(TEST_HELPER) $(SAN_OBJ) $(LIB) \
		$(ALL_LDFLAGS) $(PKG_LIBS) $$($(PKG_CONFIG) --libs cmocka)

# Install whatever Debian packages are missing (as root), or say how;
# one dpkg-query when all is there (packaging/deps.sh).
deps:
	@sh packaging/deps.sh $(DEB_PACKAGES)

# make check T=t5571: only the tests whose names contain t5571 (several
# words: any of them).
ifneq ($(T),)
TEST_PICK = $(strip $(foreach f,$(TEST_BIN) $(TEST_SH),\
	$(if $(strip $(foreach t,$(T),$(findstring $(t),$(f)))),$(f))))
else
TEST_PICK = $(TEST_BIN) $(TEST_SH)
endif

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(filter $(TEST_BIN),$(TEST_PICK))
	@[ -n "$(TEST_PICK)" ] || { echo "make check: no test matches T=$(T)" >&2; \
	  exit 2; }
	@$(CHECK_ENV) EMBARGO_BIN=$(abspath $(BIN)) O=$(O) sh tests/run.sh \
		$(sort $(TEST_PICK))

# make check-repeat N=10: make check N times in a row, stopping at the
# first failure (tests/repeat.sh); CI, SANITIZE, VALGRIND and T pass on.
N ?= 10
check-repeat: deps
	@sh tests/repeat.sh $(N) $(if $(CI),CI=$(CI)) \
		$(if $(SANITIZE),SANITIZE=$(SANITIZE)) \
		$(if $(VALGRIND),VALGRIND=$(VALGRIND)) $(if $(T),T="$(T)")

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh $(abspath $(BIN))

bench: deps all
	@sh bench/run.sh $(abspath $(BIN))

# The server hook under 50 pushes at once, served by git daemon and by
# git http-backend on 127.0.0.1 (SANITIZE=thread: the ThreadSanitizer
# build's hook); LOAD_* settings: bench/load.sh.
load: deps all
	@sh bench/load.sh $(abspath $(BIN))

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/hooks $(DESTDIR)$(COMPLETIONDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/git-embargo
	install -m 644 docs/git-embargo.1 $(DESTDIR)$(MANDIR)/man1/git-embargo.1
	for h in hooks/*; do [ -f "$$h" ] && \
	  install -m 755 $$h $(DESTDIR)$(DATADIR)/hooks/; done; true
	install -m 644 contrib/completion/git-embargo.bash \
		$(DESTDIR)$(COMPLETIONDIR)/git-embargo

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/git-embargo \
		$(DESTDIR)$(MANDIR)/man1/git-embargo.1 \
		$(DESTDIR)$(COMPLETIONDIR)/git-embargo
	rm -rf $(DESTDIR)$(DATADIR)

# A Debian package of this build; its version is the binary's.
VERSION = $(shell sed -n 's/^\#define EMB_VERSION "\(.*\)"/\1/p' \
	include/embargo/version.h)
deb: $(BIN)
	@sh packaging/deb.sh $(VERSION) $(BIN) build

# Fuzz every parser of untrusted bytes with libFuzzer (clang, from
# make deps): one target per tests/fuzz/fuzz_<name>.c, seeded from
# tests/fuzz/seeds_<name>/ (regression inputs of crashes found are kept
# there too, as regress-*).  `make fuzz` runs each for FUZZ_SECONDS;
# `make fuzz-smoke` (CI) each for FUZZ_SMOKE_RUNS inputs from a fixed
# seed, about a minute in all.  The library is built once, instrumented, under build/fuzz.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_RUNS ?= 20000
FUZZ_SMOKE_SEED ?= 1
FUZZ_MAX_LEN ?= 8192
FUZZ_O = build/fuzz
FUZZ_TARGETS = $(sort $(patsubst tests/fuzz/fuzz_%.c,%,\
	$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BIN = $(FUZZ_TARGETS:%=$(FUZZ_O)/fuzz_%)
FUZZ_LIB_OBJ = $(LIB_SRC:src/%.c=$(FUZZ_O)/obj/%.o)
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -O1 -g -Iinclude $(PKG_CFLAGS) \
	-Werror=incompatible-pointer-types -Werror=implicit-function-declaration \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-DFUZZ_DIR='"$(CURDIR)/tests/fuzz"'

$(FUZZ_O)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_O)/libembargo.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_O)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_O)/libembargo.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_O)/libembargo.a $(PKG_LIBS) -pthread

.PHONY: fuzz-build fuzz-smoke fuzz-clang fuzz-run
fuzz-clang: deps
	@command -v clang >/dev/null || { echo "make fuzz needs clang: \
	make deps installs it" >&2; exit 2; }

fuzz-build: fuzz-clang
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

# FUZZ_LIMIT: per target, -max_total_time=S or, for a run that is the
# same on every machine, -runs=N -seed=S.  A crash stops the run and
# leaves its input as build/fuzz/crash-*; copy it to the target's seeds
# as regress-*.
fuzz-run:
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_O)/corpus_$$t; \
	  echo "== fuzz_$$t: $(FUZZ_LIMIT)"; \
	  $(FUZZ_O)/fuzz_$$t $(FUZZ_LIMIT) \
	    -max_len=$(FUZZ_MAX_LEN) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_O)/ -print_final_stats=1 \
	    $(FUZZ_O)/corpus_$$t tests/fuzz/seeds_$$t 2>$(FUZZ_O)/fuzz_$$t.log \
	  || { tail -n 60 $(FUZZ_O)/fuzz_$$t.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^Done ' \
	    $(FUZZ_O)/fuzz_$$t.log | tr '\n' ' '; echo; \
	done

fuzz: fuzz-build
	@$(MAKE) --no-print-directory fuzz-run \
		FUZZ_LIMIT=-max_total_time=$(FUZZ_SECONDS)

# CI: a fixed number of inputs from a fixed seed, starting from the seeds
# alone, so a run does not depend on the machine's speed or on an earlier
# run's corpus.  Finding new bugs is make fuzz's job.
fuzz-smoke: fuzz-build
	@rm -rf $(FUZZ_O)/corpus_*
	@$(MAKE) --no-print-directory fuzz-run \
		FUZZ_LIMIT="-runs=$(FUZZ_SMOKE_RUNS) -seed=$(FUZZ_SMOKE_SEED)"

# Everything in C is as .clang-format says; CI checks it (check-format).
FORMAT_SRC = $(wildcard src/*.c src/*/*.c src/*/*.h include/embargo/*.h \
	tests/*.c tests/*.h tests/fuzz/*.c)
format:
	clang-format -i $(FORMAT_SRC)

check-format: deps
	@command -v clang-format >/dev/null || { echo "make check-format needs \
	clang-format: make deps installs it" >&2; exit 2; }
	@bad=""; for f in $(FORMAT_SRC); do \
	  clang-format "$$f" | cmp -s - "$$f" || bad="$$bad $$f"; done; \
	[ -z "$$bad" ] || { echo "not formatted (run make format):$$bad" >&2; \
	  exit 1; }

clean:
	rm -rf build git-embargo

-include $(wildcard $(O)/*.d $(O)/*/*.d $(FUZZ_O)/obj/*.d)
