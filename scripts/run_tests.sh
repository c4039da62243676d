#!/usr/bin/env bash
# Set-up and the whole test suite in one command: install missing packages, build, run ctest.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing_packages
build_apical -DAPICAL_BUILD_TESTS=ON -DAPICAL_BUILD_BENCH=ON
ctest --test-dir "$APICAL_BUILD" --output-on-failure -j "$(nproc)"
