# Thin wrapper around CMake.  The two commands of the README:
#   make run    install what is missing, build, run the Norway baseline, print a summary
#   make test   build (normal + ASan/UBSan) and run every test
# and for development:
#   make test-fast     the optimised build and the tests labelled `fast` (under a minute)
#   make format-check  clang-format --dry-run --Werror over the C sources (CI runs it first)
#   make test-mpi      the optional MPI build and the tests labelled `mpi`
#   make brief         the policy brief of the baseline and two variants (results/brief/)
# WERROR=ON builds with -Werror (CI sets it; off by default so a newer compiler's new
# warning does not stop a user's build).
BUILD ?= build
BUILD_SAN ?= build-san
BUILD_MPI ?= build-mpi
JOBS ?= $(shell nproc)
WERROR ?= OFF
# The sets of tools/install-deps.sh to check; each target below picks its own (a
# target-specific value, which its prerequisites `deps` and `build` see too; build-mpi adds
# mpi to whatever its caller asked for).
DEPS_SETS ?= run
# clang-format 14 is what Debian 12 ships and what the tree is formatted with.
CLANG_FORMAT ?= $(shell command -v clang-format-14 2>/dev/null || echo clang-format)
FORMAT_FILES = $(wildcard sim/*.[ch] agents/*.[ch] calibration/*.[ch] outputs/*.[ch] \
                          benchmarks/*.[ch] tests/*.[ch])
MAKEFLAGS += --no-print-directory

.PHONY: all deps build build-san run brief test test-fast bench clean format format-check

all: build

deps:
	@bash tools/install-deps.sh $(DEPS_SETS)

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DHWSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-san: deps
	@cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DHWSIM_SANITIZE=ON -DHWSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)

run: DEPS_SETS = run
run: build
	@$(BUILD)/hwsim run
	@echo
	@$(BUILD)/hwsim summary results/baseline.h5 --by group --years 2019,2030,2040
	@echo
	@echo "Result file: $(CURDIR)/results/baseline.h5"

# The policy brief (README "Policy brief"): the baseline and two variants, each run when its
# cube is missing or older than its scenario or the binary (a rebuilt hwsim may simulate
# differently, and a brief pairs only runs of one build), then `hwsim brief` on the three.
BRIEF_VARIANTS = floor80_nurses_hcw task_sharing_nurse_hcw
BRIEF_CUBES = results/baseline.h5 $(BRIEF_VARIANTS:%=results/%.h5)
brief: DEPS_SETS = run brief
brief: build
	@$(MAKE) $(BRIEF_CUBES)
	@$(BUILD)/hwsim brief $(BRIEF_CUBES) -o results/brief >/dev/null
	@echo "Brief: $(CURDIR)/results/brief/brief.html (brief.pdf, key_numbers.csv and the charts beside it)"

results/%.h5: sim/scenarios/%.yaml $(BUILD)/hwsim
	@$(BUILD)/hwsim run $< -o $@

test: DEPS_SETS = test
test: build build-san
	@echo "== tests, optimised build =="
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@echo "== tests, AddressSanitizer + UndefinedBehaviorSanitizer build =="
	@cd $(BUILD_SAN) && ctest --output-on-failure -j $(JOBS) -L '^sanitize$$'

# The unit tests and the quick script tests (label `fast` in CMakeLists.txt).
test-fast: DEPS_SETS = test
test-fast: build
	@echo "== fast tests, optimised build =="
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L '^fast$$'

# The optional MPI build (docs/hpc.md): replicates over ranks.  `make test` needs no MPI.
.PHONY: build-mpi test-mpi
build-mpi: DEPS_SETS += mpi
build-mpi: deps
	@cmake -S . -B $(BUILD_MPI) -DCMAKE_BUILD_TYPE=Release -DHWSIM_MPI=ON -DHWSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD_MPI) -j $(JOBS)

test-mpi: DEPS_SETS = test
test-mpi: build-mpi
	@echo "== tests, MPI build (label mpi: 1 vs 2 ranks, resume, and the launcher-less one-rank CLI) =="
	@cd $(BUILD_MPI) && ctest --output-on-failure -j $(JOBS) -L '^mpi$$'

# Fuzzing (issue 14): the scenario and CSV loaders and the cube readers (structure-aware:
# edits of a valid cube, tests/fuzz/fuzz_cube.c) under libFuzzer with ASan/UBSan, seeded
# from the shipped and the bad inputs; FUZZ_SECONDS per harness.  A crash leaves its input in
# build-fuzz/crash-*; make it a file in tests/bad/ once fixed.  FUZZ_FLAGS adds libFuzzer
# options (CI: -seed=1, so that a run it fails can be repeated).
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?=
# An input that takes longer than this (s) is a finding too (a hang), not a wait.
FUZZ_TIMEOUT ?= 30
.PHONY: fuzz
fuzz: DEPS_SETS = test fuzz
fuzz: deps
	@CC=clang cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=Debug -DHWSIM_FUZZ=ON -DHWSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_scenario fuzz_csvtab fuzz_cube
	@mkdir -p $(BUILD_FUZZ)/corpus-scenario $(BUILD_FUZZ)/corpus-csvtab $(BUILD_FUZZ)/corpus-cube
	@$(BUILD_FUZZ)/fuzz_scenario -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) $(FUZZ_FLAGS) -artifact_prefix=$(BUILD_FUZZ)/ \
	  $(BUILD_FUZZ)/corpus-scenario sim/scenarios tests/bad/scenarios tests/data
	@$(BUILD_FUZZ)/fuzz_csvtab -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) $(FUZZ_FLAGS) -artifact_prefix=$(BUILD_FUZZ)/ \
	  $(BUILD_FUZZ)/corpus-csvtab tests/fuzz/seeds-csvtab tests/data/toy calibration/norway tests/bad/data
	@# libhdf5 sizes a variable-length conversion buffer from the file's length field before it
	@# reads the data: a damaged cube makes it ask for gigabytes it never touches (maximum RSS
	@# under 200 MB), so only the RSS limit (libFuzzer's default, 2 GB) counts as out of memory.
	@$(BUILD_FUZZ)/fuzz_cube -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -malloc_limit_mb=65536 $(FUZZ_FLAGS) -artifact_prefix=$(BUILD_FUZZ)/ \
	  $(BUILD_FUZZ)/corpus-cube tests/fuzz/seeds-cube

bench: build
	@$(BUILD)/hwsim bench

format: DEPS_SETS = test
format: deps
	@$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check: DEPS_SETS = test
format-check: deps
	@$(CLANG_FORMAT) --dry-run --Werror --ferror-limit=3 $(FORMAT_FILES) || \
	  { echo "format-check: the files above are not clang-formatted (at most 3 places shown per file); run 'make format'" >&2; exit 1; }

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_MPI)
