# The two commands of README.md:
#   make demo   installs what is needed, builds, and runs `goesvfi demo` (no network, nothing from outside the repo)
#   make test   installs what is needed, builds, and runs every test, then again under AddressSanitizer + UBSan
JOBS ?= $(shell nproc)

.PHONY: deps demo test test-dev test-asan build release bench format clean

deps:
	./scripts/install-deps.sh

release: deps
	cmake --preset release -DGOESVFI_BENCH=ON >/dev/null
	cmake --build --preset release -j $(JOBS)

# The demo needs only the program, not the tests and benchmarks.
demo: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target goesvfi_cli
	./build/release/goesvfi demo

test: deps
	./scripts/run-tests.sh

build: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)

bench: release
	./scripts/bench.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
