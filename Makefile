# Thin wrapper around CMake.  The two commands of the README:
#   make run    install what is missing, build, run the Norway baseline, print a summary
#   make test   build (normal + ASan/UBSan) and run every test
BUILD ?= build
BUILD_SAN ?= build-san
BUILD_MPI ?= build-mpi
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory

.PHONY: all deps build build-san run test test-fast bench clean format

all: build

deps:
	@bash tools/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-san: deps
	@cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DHWSIM_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)

run: build
	@$(BUILD)/hwsim run
	@echo
	@$(BUILD)/hwsim summary results/baseline.h5 --by group --years 2019,2030,2040
	@echo
	@echo "Result file: $(CURDIR)/results/baseline.h5"

test: build build-san
	@echo "== tests, optimised build =="
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@echo "== tests, AddressSanitizer + UndefinedBehaviorSanitizer build =="
	@cd $(BUILD_SAN) && ctest --output-on-failure -j $(JOBS) -L sanitize

# The optional MPI build (docs/hpc.md): replicates over ranks.  `make test` needs no MPI.
.PHONY: build-mpi test-mpi
build-mpi: deps
	@cmake -S . -B $(BUILD_MPI) -DCMAKE_BUILD_TYPE=Release -DHWSIM_MPI=ON >/dev/null
	@cmake --build $(BUILD_MPI) -j $(JOBS)

test-mpi: build-mpi
	@echo "== tests, MPI build (every test, and the 1- vs 2-rank and resume tests) =="
	@cd $(BUILD_MPI) && ctest --output-on-failure -j $(JOBS)

bench: build
	@$(BUILD)/hwsim bench

format:
	@clang-format -i sim/*.[ch] agents/*.[ch] calibration/*.[ch] outputs/*.[ch] benchmarks/*.[ch] tests/*.c

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_MPI)
