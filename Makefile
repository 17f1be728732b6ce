# Vigie — the two commands of the README, and a few more.
#   make          build build/vigie
#   make run      install what is missing, build, serve on 127.0.0.1:8080
#   make check    install what is missing, build, run every test
BUILD ?= build
MESON ?= meson
NINJA ?= ninja

.PHONY: all run check deps deps-test clean bench fuzz pot

all: $(BUILD)/build.ninja
	@$(NINJA) -C $(BUILD)

$(BUILD)/build.ninja:
	@$(MESON) setup --buildtype=debugoptimized $(BUILD) >/dev/null

deps:
	@./scripts/install-deps.sh

deps-test:
	@VIGIE_INSTALL_TEST=1 ./scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@./$(BUILD)/vigie serve

check: deps-test
	@./scripts/check.sh

bench: all
	@VIGIE_INSTALL_TEST=1 VIGIE_INSTALL_BENCH=1 ./scripts/install-deps.sh
	@./bench/http.sh
	@./bench/reports.sh
	@./bench/surveys.sh
	@./bench/survey_check.sh
	@./bench/barometer.sh
	@./bench/scan.sh

fuzz: deps-test
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-300} ./scripts/fuzz.sh

pot:
	@./scripts/update-pot.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz tests/out
