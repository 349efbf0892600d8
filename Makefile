# libdm — one non-recursive GNU make file.
#
#   make                 library, tools and examples (build/release)
#   make check           bootstrap, then every test and check (see README.md)
#   make asan|tsan|valgrind   unit and integration tests under that tool
#   make fuzz            libFuzzer targets (clang), FUZZ_SECONDS each
#   make bench|demo|install|abi-check|man-check|clean
#
# Variants build into build/<V>: release (default), debug, asan, tsan,
# valgrind, fuzz; any other name builds with the release flags. Modules, tools and tests are found by their directories,
# so adding one needs no edit here.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

V ?= release
B := build/$(V)
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
FUZZ_SECONDS ?= 60

SOVERSION := 0
VERSION := $(shell sed -n 's/^\#define DM_VERSION_STRING "\(.*\)"/\1/p' include/dm/version.h)

PKG_CONFIG ?= pkg-config
# Libraries libdm itself uses (also Requires.private of libdm.pc).
DEP_PKGS := libmariadb libzstd zlib libpcre2-8 libcrypto yaml-0.1
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEP_PKGS) 2>/dev/null)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs $(DEP_PKGS) 2>/dev/null) -lpthread -lm
TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
# Libraries only the tools use (dm-run's status and control server, and
# its JSON).
TOOL_PKGS := libmicrohttpd libcjson
TOOL_LIBS := $(shell $(PKG_CONFIG) --libs $(TOOL_PKGS) 2>/dev/null || echo -lmicrohttpd -lcjson)

ifeq ($(V),fuzz)
CC := clang
endif

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wpointer-arith -Wundef -Werror
OPT_release := -O2 -g
OPT_debug := -O0 -g
OPT_asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
OPT_tsan := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
OPT_valgrind := -O1 -g
OPT_fuzz := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link
# Any other variant name (say V=scratch, a private build directory) gets
# the release flags.
OPT := $(if $(filter-out undefined,$(origin OPT_$(V))),$(OPT_$(V)),$(OPT_release))
LDOPT_asan := -fsanitize=address,undefined
LDOPT_tsan := -fsanitize=thread
LDOPT_fuzz := -fsanitize=address,undefined
LDOPT := $(LDOPT_$(V))

CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) $(OPT) $(DEP_CFLAGS)
LIB_CFLAGS := $(CFLAGS_COMMON) -Ilib -fPIC -fvisibility=hidden -DDM_BUILDING_LIBRARY
# Tests may use internal headers (lib/) and link the static library.
TEST_CFLAGS := $(CFLAGS_COMMON) -Ilib -Itests -Wno-missing-prototypes

# ---------------------------------------------------------------- library
LIB_SRC := $(sort $(wildcard lib/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
LIB_A := $(B)/lib/libdm.a
LIB_SO_REAL := $(B)/lib/libdm.so.$(VERSION)
LIB_SO := $(B)/lib/libdm.so
HEADERS := $(wildcard include/dm/*.h) $(wildcard include/dm/*.def)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -MMD -MP -c $< -o $@

$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIB_SO_REAL): $(LIB_OBJ) lib/libdm.map
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libdm.so.$(SOVERSION) \
		-Wl,--version-script=lib/libdm.map -Wl,--no-undefined \
		$(LDOPT) -o $@ $(LIB_OBJ) $(DEP_LIBS)
	ln -sf libdm.so.$(VERSION) $(B)/lib/libdm.so.$(SOVERSION)
	ln -sf libdm.so.$(VERSION) $(LIB_SO)

# ------------------------------------------------------------------ tools
TOOLS := $(notdir $(patsubst %/,%,$(wildcard tools/*/)))
TOOL_BINS := $(TOOLS:%=$(B)/bin/%)

define tool_rule
$(B)/bin/$(1): $(patsubst %.c,$(B)/obj/%.o,$(wildcard tools/$(1)/*.c)) $(LIB_A)
	@mkdir -p $$(@D)
	$$(CC) $(LDOPT) -o $$@ $$^ $(DEP_LIBS) $(TOOL_LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

# Tool sources are not library code: no DM_BUILDING_LIBRARY.
$(B)/obj/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) -MMD -MP -c $< -o $@

# --------------------------------------------------------------- examples
EXAMPLES := $(basename $(notdir $(wildcard examples/*.c)))
EXAMPLE_BINS := $(EXAMPLES:%=$(B)/examples/%)
$(B)/examples/%: examples/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(LDOPT) -o $@ $< $(LIB_A) $(DEP_LIBS)

# ------------------------------------------------------------- benchmarks
BENCHES := $(basename $(notdir $(wildcard bench/*.c)))
BENCH_BINS := $(BENCHES:%=$(B)/bench/%)
$(B)/bench/%: bench/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(LDOPT) -o $@ $< $(LIB_A) $(DEP_LIBS)

# ------------------------------------------------------------------ tests
UNIT_MODS := $(notdir $(patsubst %/,%,$(wildcard tests/unit/*/)))
UNIT_BINS := $(UNIT_MODS:%=$(B)/tests/unit-%)
define unit_rule
$(B)/tests/unit-$(1): $(wildcard tests/unit/$(1)/*.c) $(LIB_A)
	@mkdir -p $$(@D)
	$$(CC) $(TEST_CFLAGS) $(LDOPT) -o $$@ $(wildcard tests/unit/$(1)/*.c) \
		$(LIB_A) $(TEST_LIBS) $(DEP_LIBS)
endef
$(foreach m,$(UNIT_MODS),$(eval $(call unit_rule,$(m))))

SANDBOX_SRC := $(wildcard tests/sandbox/*.c)
SANDBOX_LIB_SRC := $(filter-out tests/sandbox/selftest.c,$(SANDBOX_SRC))
# The sandbox's own checks (start/stop/cleanup, TAP) run with the others.
SANDBOX_SELFTEST := tests/sandbox/selftest.sh
INTEG_SRC := $(sort $(wildcard tests/integration/*.c))
INTEG_BINS := $(INTEG_SRC:tests/integration/%.c=$(B)/tests/integ-%)
# tests/integration/notls_*.c need servers that offer no TLS: own sandbox.
INTEG_NOTLS_BINS := $(filter $(B)/tests/integ-notls_%,$(INTEG_BINS))
INTEG_TLS_BINS := $(filter-out $(INTEG_NOTLS_BINS),$(INTEG_BINS))
$(B)/tests/integ-%: tests/integration/%.c $(SANDBOX_LIB_SRC) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(LDOPT) -o $@ $< $(SANDBOX_LIB_SRC) $(LIB_A) \
		$(TEST_LIBS) $(DEP_LIBS)

# Fuzz targets: tests/fuzz/<name>.c defines LLVMFuzzerTestOneInput; the
# saved corpus tests/fuzz/corpus/<name>/ is replayed by a plain driver.
FUZZ_TARGETS := $(basename $(notdir $(filter-out tests/fuzz/replay.c,$(wildcard tests/fuzz/*.c))))
REPLAY_BINS := $(FUZZ_TARGETS:%=$(B)/fuzz/replay-%)
FUZZ_BINS := $(FUZZ_TARGETS:%=build/fuzz/fuzz/fuzz-%)
$(B)/fuzz/replay-%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(LDOPT) -o $@ $^ $(DEP_LIBS)

-include $(shell find build -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- targets
.PHONY: all lib tools examples tests bootstrap check unit integration \
	fuzz-replay cli sandbox-selftest lint header-check abi-check man-check install-check \
	asan tsan valgrind sanitizer-run fuzz fuzz-build bench demo install clean

all: lib tools examples
lib: $(LIB_A) $(LIB_SO_REAL)
tools: $(TOOL_BINS)
examples: $(EXAMPLE_BINS)
tests: $(UNIT_BINS) $(INTEG_BINS) $(REPLAY_BINS)

bootstrap:
	@scripts/bootstrap

# The README's test command. Order: cheap and local first.
check: bootstrap
	@$(MAKE) --no-print-directory all tests
	@$(MAKE) --no-print-directory lint header-check abi-check man-check
	@scripts/run-tests --results $(B)/results --reset
	@$(MAKE) -k --no-print-directory unit fuzz-replay cli integration sandbox-selftest install-check; \
		s=$$?; scripts/run-tests --results $(B)/results --summary && exit $$s

unit: $(UNIT_BINS)
	@scripts/run-tests --results $(B)/results --kind unit $(RUN_WRAPPER) -- $(UNIT_BINS)

integration: $(INTEG_BINS) $(TOOL_BINS)
	@DM_BUILD_DIR=$(B) tests/sandbox/sandbox run --quiet -- \
		scripts/run-tests --results $(B)/results --kind integration \
		$(RUN_WRAPPER) -- $(INTEG_TLS_BINS)
	@DM_BUILD_DIR=$(B) tests/sandbox/sandbox run --quiet --no-tls -- \
		scripts/run-tests --results $(B)/results --kind integration-notls \
		$(RUN_WRAPPER) -- $(INTEG_NOTLS_BINS)

# Tools against expected output: tests/cli/<tool>/<case>.{cmd,in,out,err,exit}.
cli: $(TOOL_BINS)
	@DM_BUILD_DIR=$(B) scripts/run-tests --results $(B)/results --kind cli --tap -- tests/cli/run tests/cli/dm-binlog/corpus.sh

sandbox-selftest:
	@scripts/run-tests --results $(B)/results --kind sandbox --tap -- $(SANDBOX_SELFTEST)

fuzz-replay: $(REPLAY_BINS)
	@scripts/run-tests --results $(B)/results --kind fuzz-replay --replay $(RUN_WRAPPER) -- $(REPLAY_BINS)

lint: $(LIB_A)
	@scripts/lint $(LIB_A)

header-check:
	@scripts/header-check

abi-check: $(LIB_SO_REAL) $(LIB_A)
	@scripts/abi-check $(LIB_SO_REAL) $(LIB_A)

man-check: $(LIB_SO_REAL)
	@scripts/man-check $(LIB_SO_REAL)

install-check: lib
	@scripts/install-check

# Sanitizer and valgrind runs: the same tests, another build.
asan: bootstrap
	@$(MAKE) --no-print-directory V=asan sanitizer-run
tsan: bootstrap
	@$(MAKE) --no-print-directory V=tsan sanitizer-run
valgrind: bootstrap
	@$(MAKE) --no-print-directory V=valgrind sanitizer-run \
		RUN_WRAPPER="--wrapper scripts/valgrind-wrap"
sanitizer-run: tests
	@scripts/run-tests --results $(B)/results --reset
	@$(MAKE) -k --no-print-directory unit fuzz-replay integration; \
		s=$$?; scripts/run-tests --results $(B)/results --summary && exit $$s

fuzz: bootstrap
	@$(MAKE) --no-print-directory V=fuzz fuzz-build
	@scripts/fuzz-run $(FUZZ_SECONDS) $(FUZZ_BINS)
fuzz-build: $(FUZZ_BINS)
build/fuzz/fuzz/fuzz-%: tests/fuzz/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
		$(LIB_A) $(DEP_LIBS)

bench: bootstrap all $(BENCH_BINS)
	@DM_BUILD_DIR=$(B) scripts/bench

demo: bootstrap all
	@scripts/demo

# ---------------------------------------------------------------- install
install: lib tools
	install -d $(DESTDIR)$(INCLUDEDIR)/dm $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7
	install -m 644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/dm/
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIB_SO_REAL) $(DESTDIR)$(LIBDIR)/
	ln -sf libdm.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libdm.so.$(SOVERSION)
	ln -sf libdm.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libdm.so
	$(if $(TOOL_BINS),install -m 755 $(TOOL_BINS) $(DESTDIR)$(BINDIR)/)
	for s in 1 3 5 7; do \
		for f in man/man$$s/*.$$s; do \
			[ -e "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(MANDIR)/man$$s/; \
		done; \
	done; true
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
		-e 's|@REQUIRES@|$(DEP_PKGS)|g' pkgconfig/libdm.pc.in \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/libdm.pc

clean:
	rm -rf build
