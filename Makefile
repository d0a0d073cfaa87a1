# pyman — build, fixtures, tests and the demo. Run as root on a fresh Debian machine, `make` installs
# the apt packages it needs (libcurl, libarchive, zstd, CPython build deps for the fixtures).
SHELL := /bin/bash
SWIFT ?= swift
FIXTURES_CACHE ?= $(HOME)/.cache/pyman-fixtures
export PYMAN_FIXTURES_CACHE := $(FIXTURES_CACHE)
APT_PACKAGES := libcurl4-openssl-dev libarchive-dev libisal-dev zstd pkg-config
# Shells the activation-script tests run for real (bash and dash come with Debian), and Debian's pip wheel
# that `venv --seed` falls back to for Debian's python3.11 (whose ensurepip bundles none).
TEST_APT_PACKAGES := zsh fish tcsh csh python3-pip-whl

.PHONY: all build release deps test-deps apt fixtures test unit-test e2e-test demo catalogue fuzz clean

all: build

deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(TEST_APT_PACKAGES)"

# Installs the missing ones of $(PACKAGES) when run as root; otherwise says what to install.
apt:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing $$missing" >&2; \
			apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
		else \
			echo "missing apt packages: $$missing (run make as root, or apt-get install them)" >&2; exit 1; \
		fi; \
	fi

build: deps
	$(SWIFT) build

# The release artefact in dist/, laid out like an install prefix: bin/pyman with the Swift stdlib and
# Foundation linked in statically (it needs only libcurl4, libarchive13 and glibc 2.28 or newer at run
# time), shell completions and the man page. Built in .build-static so it never fights `swift build`
# over .build; zig (from PyPI, cached in ~/.cache/pyman-release) supplies glibc 2.28's link stubs.
#
# ARCH=aarch64: the same artefact for aarch64 Linux in dist-aarch64/, cross-built here (x86_64 host) by
# Containers/cross-build.sh with Debian sid's Swift 6.2.3 in a sid chroot and an arm64 sysroot (both made
# and cached in ~/.cache/pyman-aarch64 by Containers/aarch64-toolchain.sh: ~3.5 minutes the first time),
# checked the same way (no Foundation, NEEDED only glibc's, no RUNPATH, glibc 2.28 floor). Needs root.
ARCH ?= $(shell uname -m)
release: deps
ifeq ($(ARCH),aarch64)
	@$(MAKE) --no-print-directory apt PACKAGES="debootstrap qemu-user-static"
	bash Containers/cross-build.sh
else
	bash Containers/release.sh
endif

# Installs dist/ under $(DESTDIR)$(PREFIX): bin/pyman, completions for bash, zsh and fish, man page.
PREFIX ?= /usr/local
.PHONY: install
install: release
	install -D -m 755 dist/bin/pyman $(DESTDIR)$(PREFIX)/bin/pyman
	install -D -m 644 dist/share/bash-completion/completions/pyman $(DESTDIR)$(PREFIX)/share/bash-completion/completions/pyman
	install -D -m 644 dist/share/zsh/site-functions/_pyman $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_pyman
	install -D -m 644 dist/share/fish/vendor_completions.d/pyman.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/pyman.fish
	install -D -m 644 dist/share/man/man1/pyman.1 $(DESTDIR)$(PREFIX)/share/man/man1/pyman.1

# The OCI image that Dockerfiles `COPY --from=… /pyman /usr/local/bin/` (Containers/image.sh): FROM scratch,
# /pyman only, for linux/amd64 (dist/) and linux/arm64 (dist-aarch64/) under one manifest list,
# localhost/pyman:<VERSION>, in buildah's default storage; and dist-image/pyman-<VERSION>.oci.tar, an OCI
# archive of both. `buildah manifest push --all localhost/pyman:<VERSION> docker://REGISTRY/…` publishes
# them (docs/docker.md). Needs root (the aarch64 cross build).
.PHONY: image
image: release
	@$(MAKE) --no-print-directory release ARCH=aarch64
	@$(MAKE) --no-print-directory apt PACKAGES="buildah"
	bash Containers/image.sh --archive dist-image dist dist-aarch64

# docs/docker.md's Dockerfiles (Containers/dockerfiles/), built for real with buildah (no daemon) on a local
# debian:bookworm-slim (amd64 and arm64 images under one list, each made from a debootstrapped root cached
# in ~/.cache/pyman-container), pyman copied from Containers/image.sh's image of dist/ and dist-aarch64/,
# against the fixture mirror on 127.0.0.1, and the images run; the main one also built for linux/arm64 and
# run under qemu-user (binfmt_misc). Then the glibc floor: the same binary in Debian 11 (glibc 2.31) and 13
# (2.41) roots (cached in ~/.cache/pyman-glibc-floor), and the aarch64 one in arm64 roots. Needs root.
.PHONY: container-smoke
container-smoke: release fixtures
	@$(MAKE) --no-print-directory apt PACKAGES="qemu-user-static binfmt-support"
	@$(MAKE) --no-print-directory release ARCH=aarch64
	@$(MAKE) --no-print-directory fixtures-aarch64
	bash Containers/smoke.sh dist dist-aarch64
	bash Containers/glibc-floor.sh dist
	@$(MAKE) --no-print-directory glibc-floor-aarch64

# The aarch64 binary in arm64 Debian 11 and 13 roots (debootstrap --arch=arm64, run under qemu-user through
# binfmt_misc; cached as ~/.cache/pyman-glibc-floor/<suite>-arm64), the same steps as for x86_64.
.PHONY: glibc-floor-aarch64
glibc-floor-aarch64:
	@$(MAKE) --no-print-directory release ARCH=aarch64
	@$(MAKE) --no-print-directory fixtures-aarch64
	PYMAN_GLIBC_FLOOR_ARCH=aarch64 bash Containers/glibc-floor.sh dist-aarch64

# The release artefacts for x86_64 and aarch64 in dist-packages/ (Packaging/dist.sh; docs/release.md):
# tarballs and SHA256SUMS, manylinux_2_28 wheels (checked with auditwheel, from PyPI, in a venv cached in
# ~/.cache/pyman-release), .debs (checked with lintian) and install.sh. Builds both release trees first.
.PHONY: dist dist-smoke
dist:
	@$(MAKE) --no-print-directory release
	@$(MAKE) --no-print-directory release ARCH=aarch64
	@$(MAKE) --no-print-directory apt PACKAGES="lintian"
	bash Packaging/dist.sh

# Each artefact installed as users install it and run (Containers/dist-smoke.sh): the wheels with pip in
# Debian 11 and 13 roots and an arm64 root under qemu, the .debs with apt-get (the amd64 one in a bare
# Debian 13 root, apt fetching libcurl and libarchive from deb.debian.org), install.sh against a local
# server and a corrupted tarball. Roots cached beside glibc-floor.sh's. Needs root.
dist-smoke: dist fixtures-aarch64
	@$(MAKE) --no-print-directory apt PACKAGES="debootstrap qemu-user-static binfmt-support curl wget"
	bash Containers/dist-smoke.sh

fixtures: deps
	bash Fixtures/build.sh >/dev/null

# The aarch64 CPython 3.13.5 fixture (Fixtures/build-aarch64.sh): cross-compiled, cached beside the others;
# a step of its own so the x86-64 fixtures never wait for it. Needs `make fixtures` first, and binfmt_misc.
.PHONY: fixtures-aarch64 test-aarch64
fixtures-aarch64: fixtures
	bash Fixtures/build-aarch64.sh >/dev/null

# The aarch64 binary end to end under qemu-user (Tests/aarch64/e2e.sh): built and run only where this
# kernel can start aarch64 programs (binfmt_misc); elsewhere it says what it skipped and why (under CI,
# that fails).
test-aarch64:
	@$(MAKE) --no-print-directory apt PACKAGES="qemu-user-static binfmt-support" || true
	@if bash -c 'source Fixtures/aarch64-env.sh && aarch64_binfmt_ready' >/dev/null; then \
		$(MAKE) --no-print-directory release ARCH=aarch64 && $(MAKE) --no-print-directory fixtures-aarch64 && \
		PYMAN_BINARY=$${PYMAN_BINARY:-$(CURDIR)/.build/debug/pyman} bash Tests/aarch64/e2e.sh; \
	else bash Tests/aarch64/e2e.sh; fi

# Unit tests, then end-to-end tests running the real binary against the fixture mirror, then the aarch64
# binary's end-to-end tests under qemu (test-aarch64: skipped, saying why, where binfmt_misc is missing).
test: build fixtures test-deps
	$(SWIFT) build --build-tests
	PYMAN_BINARY=$(CURDIR)/.build/debug/pyman $(SWIFT) test --skip-build --disable-swift-testing
	@$(MAKE) --no-print-directory test-aarch64 PYMAN_BINARY=$(CURDIR)/.build/debug/pyman

unit-test: deps
	$(SWIFT) test --skip EndToEndTests --disable-swift-testing

# Builds pyman and only the fixture the demo serves (3.13.5), side by side, then runs it; `make test`
# builds the other fixtures later, reusing that one.
demo: deps
	SWIFT=$(SWIFT) bash scripts/demo.sh

# libFuzzer over the parsers of untrusted text: each harness in Fuzz/ is compiled together with its
# module's sources (swiftc -sanitize=fuzzer,address) and run for FUZZ_SECONDS; a crash, trap or leak
# fails the target and leaves the input in .build/fuzz/crash-<name>-*. Seeds are in Fuzz/corpus/<name>;
# inputs found are kept in .build/fuzz/corpus/<name> for the next run. Swift's own backtracer is off:
# libFuzzer reports the crash, and the backtracer could outlive it holding the terminal's pipe.
FUZZ_SECONDS ?= 20
FUZZ_SWIFTC ?= $(firstword $(wildcard /opt/swift/usr/bin/swiftc) swiftc)
FUZZ_FLAGS := -O -sanitize=fuzzer,address -parse-as-library -use-ld=lld
FUZZ_NAMES := request catalogue sysconfig json lock pyproject
CATALOGUE_SOURCES := $(wildcard Sources/Catalogue/*.swift)
TOML_SOURCES := $(wildcard Sources/TOML/*.swift)
PEP440_SOURCES := $(wildcard Sources/PEP440/*.swift)
# Project's parsers of pyman.lock and pyproject.toml (the rest of Project reads the environment).
LOCK_SOURCES := Sources/Project/LockFile.swift Sources/Project/LockFileParser.swift Sources/Project/LockTable.swift Sources/Project/LockedPython.swift
PYPROJECT_SOURCES := Sources/Project/PyprojectFile.swift Sources/Project/PyprojectFile+Request.swift
SYSCONFIG_SOURCES := $(wildcard Sources/Patching/Sysconfig*.swift) Sources/Patching/PatchedFile.swift
# Core's JSONScanner through both of its clients, the catalogue's syntax check and the sysconfig JSON patch.
JSON_SOURCES := Sources/Catalogue/JSONSyntax.swift Sources/Patching/SysconfigJSON.swift Sources/Patching/SysconfigError.swift
CORE_SOURCES := $(wildcard Sources/Core/*.swift)
# Core is built on swift-system: SwiftPM builds SystemPackage (release, uninstrumented: it is not what
# is fuzzed), and the harnesses import its module and link its objects.
FUZZ_SYSTEM := .build/release/Modules/SystemPackage.swiftmodule
FUZZ_SYSTEM_FLAGS := -I .build/release/Modules -Xcc -fmodule-map-file=.build/checkouts/swift-system/Sources/CSystem/include/module.modulemap
FUZZ_SYSTEM_OBJECTS = $(wildcard .build/release/SystemPackage.build/*.o) .build/release/CSystem.build/shims.c.o
# Catalogue and Patching import Core: it is built once as a static library with its module.
FUZZ_CORE := .build/fuzz/core/libCore.a
FUZZ_WITH_CORE = $(FUZZ_SYSTEM_FLAGS) -I .build/fuzz/core -L .build/fuzz/core -lCore $(FUZZ_SYSTEM_OBJECTS)
# The parsers' modules below the one a harness is compiled into (TOML, PEP440, Catalogue) are static
# libraries like Core, but instrumented for coverage, since their code is what is fuzzed too.
FUZZ_LIBS := .build/fuzz/lib
FUZZ_LIB_FLAGS := -O -sanitize=fuzzer,address -parse-as-library -emit-library -static -emit-module $(FUZZ_SYSTEM_FLAGS) -I .build/fuzz/core -I $(FUZZ_LIBS)
FUZZ_WITH_TOML = -I $(FUZZ_LIBS) -L $(FUZZ_LIBS) -lTOML $(FUZZ_WITH_CORE)
FUZZ_WITH_PEP440 = -I $(FUZZ_LIBS) -L $(FUZZ_LIBS) -lPEP440 $(FUZZ_WITH_TOML)
FUZZ_WITH_CATALOGUE = -I $(FUZZ_LIBS) -L $(FUZZ_LIBS) -lCatalogue $(FUZZ_WITH_PEP440)

$(FUZZ_SYSTEM):
	$(SWIFT) build -c release --target SystemPackage

$(FUZZ_CORE): $(CORE_SOURCES) $(FUZZ_SYSTEM)
	@mkdir -p $(@D)
	$(FUZZ_SWIFTC) -O -sanitize=address -parse-as-library -module-name Core -emit-library -static -emit-module \
		$(FUZZ_SYSTEM_FLAGS) -emit-module-path $(@D)/Core.swiftmodule $(filter %.swift,$^) -o $@

$(FUZZ_LIBS)/libTOML.a: $(TOML_SOURCES) $(FUZZ_CORE)
	@mkdir -p $(@D)
	$(FUZZ_SWIFTC) $(FUZZ_LIB_FLAGS) -module-name TOML -emit-module-path $(@D)/TOML.swiftmodule $(filter %.swift,$^) -o $@

$(FUZZ_LIBS)/libPEP440.a: $(PEP440_SOURCES) $(FUZZ_LIBS)/libTOML.a
	$(FUZZ_SWIFTC) $(FUZZ_LIB_FLAGS) -module-name PEP440 -emit-module-path $(@D)/PEP440.swiftmodule $(filter %.swift,$^) -o $@

$(FUZZ_LIBS)/libCatalogue.a: $(CATALOGUE_SOURCES) $(FUZZ_LIBS)/libPEP440.a
	$(FUZZ_SWIFTC) $(FUZZ_LIB_FLAGS) -module-name Catalogue -emit-module-path $(@D)/Catalogue.swiftmodule $(filter %.swift,$^) -o $@

.build/fuzz/request: Fuzz/RequestFuzz.swift $(CATALOGUE_SOURCES) $(FUZZ_LIBS)/libPEP440.a
	$(FUZZ_SWIFTC) $(FUZZ_FLAGS) $(FUZZ_WITH_PEP440) -module-name Catalogue $(filter %.swift,$^) -o $@

.build/fuzz/lock: Fuzz/LockFuzz.swift $(LOCK_SOURCES) $(FUZZ_LIBS)/libCatalogue.a
	$(FUZZ_SWIFTC) $(FUZZ_FLAGS) $(FUZZ_WITH_CATALOGUE) -module-name Project $(filter %.swift,$^) -o $@

.build/fuzz/pyproject: Fuzz/PyprojectFuzz.swift $(PYPROJECT_SOURCES) $(FUZZ_LIBS)/libCatalogue.a
	$(FUZZ_SWIFTC) $(FUZZ_FLAGS) $(FUZZ_WITH_CATALOGUE) -module-name Project $(filter %.swift,$^) -o $@

.build/fuzz/catalogue: Fuzz/CatalogueFuzz.swift $(CATALOGUE_SOURCES) $(FUZZ_LIBS)/libPEP440.a
	$(FUZZ_SWIFTC) $(FUZZ_FLAGS) $(FUZZ_WITH_PEP440) -module-name Catalogue $(filter %.swift,$^) -o $@

.build/fuzz/sysconfig: Fuzz/SysconfigFuzz.swift $(SYSCONFIG_SOURCES) $(FUZZ_CORE)
	$(FUZZ_SWIFTC) $(FUZZ_FLAGS) $(FUZZ_WITH_CORE) -module-name Patching $(filter %.swift,$^) -o $@

.build/fuzz/json: Fuzz/JSONFuzz.swift $(JSON_SOURCES) $(FUZZ_CORE)
	$(FUZZ_SWIFTC) $(FUZZ_FLAGS) $(FUZZ_WITH_CORE) -module-name JSONFuzz $(filter %.swift,$^) -o $@

fuzz: $(addprefix .build/fuzz/,$(FUZZ_NAMES))
	@for name in $(FUZZ_NAMES); do \
		mkdir -p .build/fuzz/corpus/$$name; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		SWIFT_BACKTRACE=enable=no .build/fuzz/$$name -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=.build/fuzz/crash-$$name- .build/fuzz/corpus/$$name Fuzz/corpus/$$name \
			2>.build/fuzz/$$name.log || { tail -n 30 .build/fuzz/$$name.log >&2; \
			echo "fuzz: $$name failed; the input is in .build/fuzz/crash-$$name-*, the log in .build/fuzz/$$name.log" >&2; exit 1; }; \
		grep -E '^#[0-9]+[[:space:]]+DONE' .build/fuzz/$$name.log; \
	done

# Regenerates the embedded catalogue from ../shared/pbs/download-metadata.json.
catalogue:
	python3 scripts/embed_catalogue.py

clean:
	rm -rf .build

# pyman against uv and curl | tar on this machine (Benchmarks/run.py): release build, uv from PyPI, docs/benchmarks.md.
.PHONY: bench
bench: fixtures
	SWIFT=$(SWIFT) python3 Benchmarks/run.py --explain-all
