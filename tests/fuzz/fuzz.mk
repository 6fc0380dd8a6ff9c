# Fuzzing: libFuzzer targets for every parser of outside input (tests/fuzz/).
# Included from the top-level Makefile; uses its BUILD, LIB, LIB_SRC,
# GEN_SRC, WARN, ALL_CFLAGS, ALL_LDFLAGS, PKG_CFLAGS and PKG_LIBS.
#
#   make fuzz-replay              every target over its seed corpus and crash regressions,
#                                 built with $(CC) and the normal flags (run by make check,
#                                 also as BUILD=build/asan SANITIZE=1)
#   make fuzz                     each target under libFuzzer for FUZZ_SECONDS (60) with clang
#   make fuzz FUZZ_SECONDS=600    the long mode
#   make fuzz FUZZ_TARGETS="fuzz_router fuzz_input"
#
# `make fuzz` keeps what it learns in build/fuzz/corpus/ (not the committed
# corpus) and copies each new crash into tests/fuzz/regressions/TARGET/,
# where fuzz-replay picks it up: commit it with the fix.

# Included before the first rule of the Makefile, this file must not become its default goal.
fuzz_default_goal := $(.DEFAULT_GOAL)

FUZZ_DIR     := tests/fuzz
FUZZ_ALL     := $(sort $(basename $(notdir $(wildcard $(FUZZ_DIR)/fuzz_*.c))))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 60
FUZZ_HEADERS := $(wildcard $(FUZZ_DIR)/*.h)

.PHONY: fuzz fuzz-replay fuzz-build

# --- Replay: plain binaries, the normal compiler and flags ------------------

FUZZ_REPLAY_BIN := $(FUZZ_ALL:%=$(BUILD)/fuzz-replay/%)

$(BUILD)/fuzz-replay/%: $(FUZZ_DIR)/%.c $(FUZZ_DIR)/replay.c $(FUZZ_HEADERS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(FUZZ_DIR) -o $@ $< $(FUZZ_DIR)/replay.c $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

# The sanitizer settings of scripts/run-tests: the first report fails the run.
FUZZ_SAN_ENV := ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99" \
	LSAN_OPTIONS="suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"

fuzz-replay: $(FUZZ_REPLAY_BIN)
	@failed=0; for t in $(FUZZ_ALL); do \
		if out=$$($(FUZZ_SAN_ENV) $(BUILD)/fuzz-replay/$$t $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/regressions/$$t 2>&1); then \
			printf 'ok   %-16s %s\n' "$$t" "$$(echo "$$out" | tail -1)"; \
		else \
			failed=$$((failed + 1)); \
			echo "FAIL $$t"; echo "$$out" | tail -60 | sed 's/^/    /'; \
		fi; \
	done; \
	echo "fuzz-replay: $$(( $(words $(FUZZ_ALL)) - failed )) passed, $$failed failed"; \
	[ $$failed -eq 0 ]

# --- libFuzzer: the library again with clang and coverage, in build/fuzz ----

FUZZ_BUILD   := build/fuzz
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c17 -g -O1 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc -I$(BUILD)/gen -pthread $(FUZZ_SAN) \
	$(WARN) $(PKG_CFLAGS)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o) $(GEN_SRC:$(BUILD)/gen/%.c=$(FUZZ_BUILD)/gen/%.o)
FUZZ_LIB     := $(FUZZ_BUILD)/libqorgau.a
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/bin/%)

$(FUZZ_BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/bin/%: $(FUZZ_DIR)/%.c $(FUZZ_HEADERS) $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(FUZZ_DIR) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) -pthread $(PKG_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	$(FUZZ_DIR)/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

-include $(shell find $(FUZZ_BUILD)/src -name '*.d' 2>/dev/null)

.DEFAULT_GOAL := $(fuzz_default_goal)
