# pyman — build, fixtures, tests and the demo. Run as root on a fresh Debian machine, `make` installs
# the apt packages it needs (libcurl, libarchive, zstd, CPython build deps for the fixtures).
SHELL := /bin/bash
SWIFT ?= swift
FIXTURES_CACHE ?= $(HOME)/.cache/pyman-fixtures
export PYMAN_FIXTURES_CACHE := $(FIXTURES_CACHE)
APT_PACKAGES := libcurl4-openssl-dev libarchive-dev zstd pkg-config
# Shells the activation-script tests run for real (bash and dash come with Debian).
TEST_APT_PACKAGES := zsh fish tcsh csh

.PHONY: all build release deps test-deps apt fixtures test unit-test e2e-test demo catalogue clean

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

release: deps
	$(SWIFT) build -c release

fixtures: deps
	bash Fixtures/build.sh >/dev/null

# Unit tests, then end-to-end tests running the real binary against the fixture mirror.
test: build fixtures test-deps
	$(SWIFT) build --build-tests
	PYMAN_BINARY=$(CURDIR)/.build/debug/pyman $(SWIFT) test --skip-build --disable-swift-testing

unit-test: deps
	$(SWIFT) test --skip EndToEndTests --disable-swift-testing

demo: build fixtures
	bash scripts/demo.sh

# Regenerates the embedded catalogue from ../shared/pbs/download-metadata.json.
catalogue:
	python3 scripts/embed_catalogue.py

clean:
	rm -rf .build
