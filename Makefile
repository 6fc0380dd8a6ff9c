# Qorgau: build, run, test, benchmark.
#
#   make run      install what is missing, build, create the demo database if absent, serve
#   make check    every test, on SQLite and PostgreSQL, then again under ASan+UBSan
#   make bench    benchmarks beside their floors
#   make install  PREFIX=/usr/local DESTDIR=

CC       ?= cc
BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
SANITIZE ?=

PKGS := libh2o-evloop openssl sqlite3 libpq libsodium jansson inih libutf8proc xlsxwriter

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual -Wformat=2 \
	-Wno-missing-field-initializers
BASE := -std=c17 -g -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc -I$(BUILD)/gen -pthread
ifeq ($(SANITIZE),1)
OPT  := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDSAN := -fsanitize=address,undefined
else
OPT  := -O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2
LDSAN :=
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer
ALL_CFLAGS = $(BASE) $(OPT) $(WARN) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = -pthread $(LDSAN) -Wl,-z,relro,-z,now $(LDFLAGS)

LIB_SRC := $(filter-out src/main.c $(EXCLUDE),$(shell find src -name '*.c' | sort))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
GEN_SRC := $(BUILD)/gen/migrations.c $(BUILD)/gen/static.c $(BUILD)/gen/data.c $(BUILD)/gen/i18n.c
GEN_OBJ := $(GEN_SRC:.c=.o)
LIB     := $(BUILD)/libqorgau.a

MIGRATIONS := $(sort $(wildcard src/db/migrations/*.sql))
PO         := po/kk.po po/ru.po po/en.po
STATIC     := $(sort $(wildcard static/*))
DATA       := $(sort $(wildcard share/*))

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
DB_SRC   := $(sort $(wildcard tests/db/test_*.c))
HTTP_SRC := $(sort $(wildcard tests/http/test_*.c))
CRASH_SRC := $(sort $(wildcard tests/crash/test_*.c))
TESTLIB_SRC := $(sort $(wildcard tests/lib/*.c))
TESTLIB_OBJ := $(TESTLIB_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(UNIT_SRC:%.c=$(BUILD)/%) $(DB_SRC:%.c=$(BUILD)/%) $(HTTP_SRC:%.c=$(BUILD)/%) $(CRASH_SRC:%.c=$(BUILD)/%)

.PHONY: all deps deps-proof run check check-fast check-asan tests bench install clean po-update proof valgrind browser browser-deps
.DELETE_ON_ERROR:
.SECONDARY: $(TESTLIB_OBJ)

all: $(BUILD)/qorgau

# fuzz-replay (in make check) and fuzz (libFuzzer with clang).
include tests/fuzz/fuzz.mk
$(FUZZ_LIB_OBJ) $(FUZZ_BIN): | deps-proof

deps:
	@scripts/install-deps

deps-proof:
	@scripts/install-deps --proof

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -o $@ $<

$(BUILD)/gen/migrations.c: $(MIGRATIONS) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ embedded_migrations $(foreach f,$(MIGRATIONS),$(notdir $(f))=$(f))

$(BUILD)/gen/static.c: $(STATIC) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ embedded_static $(foreach f,$(STATIC),$(notdir $(f))=$(f))

$(BUILD)/tools/po2c: tools/po2c.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -o $@ $<

$(BUILD)/gen/i18n.c: $(PO) $(BUILD)/tools/po2c
	@mkdir -p $(dir $@)
	$(BUILD)/tools/po2c $@ kk=po/kk.po ru=po/ru.po en=po/en.po

# Every translatable string of the program, for the catalog test and po-update.
$(BUILD)/gen/qorgau.pot: $(LIB_SRC) src/main.c
	@mkdir -p $(dir $@)
	xgettext --from-code=UTF-8 --language=C --keyword=_:2 --keyword=T:2 --keyword=N_ --keyword=respond_error:4 --no-location \
		--sort-output --omit-header -o $@ $(LIB_SRC) src/main.c

# Merge new strings into the catalogs (then translate the empty ones).
po-update: $(BUILD)/gen/qorgau.pot
	for f in $(PO); do msgmerge --quiet --update --backup=none --no-location --no-wrap --sort-output --no-fuzzy-matching $$f $<; done

$(BUILD)/gen/data.c: $(DATA) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ embedded_data $(foreach f,$(DATA),$(notdir $(f))=$(f))

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ) $(GEN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/qorgau: $(BUILD)/src/main.o $(LIB)
	$(CC) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

# Tests: cmocka binaries linked with the library (and the test helpers).
$(BUILD)/tests/%: tests/%.c $(TESTLIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -MMD -MP -o $@ $< $(TESTLIB_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lcmocka

$(BUILD)/tests/lib/%.o: tests/lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -MMD -MP -c -o $@ $<

tests: $(BUILD)/qorgau $(TEST_BIN) $(BUILD)/gen/qorgau.pot

run: deps all
	@mkdir -p data
	@if [ ! -e data/qorgau.db ]; then $(BUILD)/qorgau demo --database sqlite:data/qorgau.db 2>/dev/null || exit 1; fi
	@echo "qorgau: serving http://127.0.0.1:8080 (sign in with one of the accounts above; Ctrl-C stops)"
	$(BUILD)/qorgau serve --database sqlite:data/qorgau.db

# Everything, on both backends, then the whole suite again under ASan+UBSan.
check: deps
	@$(MAKE) --no-print-directory tests browser-deps
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 tests
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 fuzz-replay
	scripts/with-postgres scripts/run-tests --browser build build/asan

# The browser tests alone (chromium and playwright-core; both backends).
browser: deps all browser-deps
	scripts/with-postgres scripts/run-tests --browser-only $(BUILD)

# playwright-core and axe-core, the versions package-lock.json pins (never a browser download).
BROWSER_MODULES := tests/browser/node_modules/.package-lock.json
browser-deps: $(BROWSER_MODULES)
$(BROWSER_MODULES): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# One build, one backend pass, no sanitizers: for the edit-test loop.
check-fast: tests
	@$(MAKE) --no-print-directory fuzz-replay
	scripts/run-tests --sqlite-only $(BUILD)

$(BUILD)/bench/seed: bench/seed.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

# The long versions of the evidence: fuzzing, 500 kills a backend, valgrind, sqlmap (see scripts/proof).
proof: deps-proof tests
	scripts/proof

valgrind: deps-proof tests
	scripts/valgrind-tests $(BUILD)

bench: deps all $(BUILD)/bench/seed
	bench/run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/doc/qorgau
	install -m 755 $(BUILD)/qorgau $(DESTDIR)$(PREFIX)/bin/qorgau
	install -m 644 docs/qorgau.1 $(DESTDIR)$(PREFIX)/share/man/man1/qorgau.1
	install -m 644 docs/qorgau.ini.example $(DESTDIR)$(PREFIX)/share/doc/qorgau/qorgau.ini.example

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
