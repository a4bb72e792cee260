# The commands a user types. Each one installs what is missing first.
BUILD_DIR ?= build
CMAKE_FLAGS ?= -DHOOKLINE_WERROR=ON
JOBS ?= $(shell nproc)
HOOKLINE_FLAGS ?=
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 600

.PHONY: deps build test serve bench soak test-sanitize fuzz-build fuzz clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

serve: build
	./$(BUILD_DIR)/hookline serve $(HOOKLINE_FLAGS)

bench: build
	bash bench/run.sh $(BUILD_DIR)

# The fault soak at full length: 20 SIGKILLs, misbehaving receivers, a full disk.
SOAK_KILLS ?= 20
soak: build
	node tests/engine/fault_soak_test.js $(BUILD_DIR)/hookline --kills $(SOAK_KILLS)

# One CI configuration: AddressSanitizer + UndefinedBehaviorSanitizer.
test-sanitize:
	$(MAKE) test BUILD_DIR=build-asan CMAKE_FLAGS="-DHOOKLINE_WERROR=ON -DHOOKLINE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"

# The libFuzzer targets (clang, ASan + UBSan), then each run for FUZZ_SECONDS.
fuzz-build: deps
	@cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DHOOKLINE_FUZZ=ON \
	  -DHOOKLINE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target fuzzers

fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

clean:
	rm -rf build build-asan build-fuzz
