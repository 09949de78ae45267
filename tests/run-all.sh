#!/usr/bin/env bash
# Installs, builds and runs every test of pmemplan: unit and CLI tests
# (warnings as errors), the same under AddressSanitizer and
# UndefinedBehaviorSanitizer, make distcheck, the cross builds for arm64
# and ppc64el with their make check under qemu-user (tests/cross-build.sh:
# build-aarch64/pmemplan, build-ppc64le/pmemplan), the VM tests against Debian's
# 6.1 and bookworm-backports 6.12 kernels, on amd64 and (a stage per
# architecture, tests/vm/test-arch.sh) arm64 and ppc64el, the benchmarks,
# and the quality gates (valgrind, libFuzzer, cppcheck, clang-tidy,
# non-root VM, coverage).
# Exits non-zero on the first failing stage.  Needs root (apt-get, QEMU).
set -euo pipefail
. "$(dirname "$0")/build.sh"
cd "$PP_TOP"
t0=$SECONDS

pp_install "${PP_PACKAGES[@]}"

pp_log "build (warnings are errors) and make check"
pp_build build --enable-werror
make -s -C build check || { cat build/test-suite.log; exit 1; }

pp_log "AddressSanitizer + UndefinedBehaviorSanitizer build and make check"
pp_build build-asan --enable-werror \
	CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	make -s -C build-asan check || { cat build-asan/test-suite.log; exit 1; }

pp_log "make distcheck"
make -s -C build distcheck DISTCHECK_CONFIGURE_FLAGS="--enable-werror --with-cmocka=yes" >/dev/null

# The cross builds run beside the x86 VM tests, whose guests take one CPU
# (run-vm.sh: -smp 1) of the two: about 5 minutes less in all.  Their
# output is printed once they are done, before the stages that use them;
# an early exit waits for them (never an apt-get killed halfway).
t_cross=$SECONDS
cross_log=$(mktemp /tmp/pmemplan-cross.XXXXXX)
tests/cross-build.sh arm64 ppc64el >"$cross_log" 2>&1 &
cross_pid=$!
trap 'wait "$cross_pid" 2>/dev/null || :; rm -f "$cross_log"' EXIT

pp_log "VM tests: pmemplan show against /proc/iomem (Debian 6.1 and 6.12)"
tests/vm/test-show.sh build/pmemplan 6.1 6.12

pp_log "VM tests: pmemplan plan against the bound from /proc/iomem (6.1 and 6.12)"
tests/vm/test-plan.sh build/pmemplan 6.1 6.12

pp_log "VM tests: pmemplan apply, judged by /proc/iomem, every step failed once (6.1 and 6.12)"
tests/vm/test-apply.sh build/pmemplan 6.1 6.12

pp_log "VM tests: CXL memory (bookworm-backports' QEMU): ram regions on 6.12 (128 MiB and 2 GiB blocks, 2-way, memmap_on_memory), pmem regions on 6.1 and 6.12"
t_cxl=$SECONDS
tests/vm/test-cxl.sh build/pmemplan
pp_log "CXL stage: $((SECONDS - t_cxl)) s"

pp_log "cross-build for arm64 and ppc64el (warnings are errors), make check under qemu-user: beside the VM tests above"
cross_rc=0
wait "$cross_pid" || cross_rc=$?
cat "$cross_log"
((cross_rc == 0)) || { echo "cross-build failed (exit $cross_rc)" >&2; exit 1; }
pp_log "cross-build stage: done $((SECONDS - t_cross)) s after it started (per architecture above)"

# A stage per foreign architecture: the pmemplan the cross-build stage made
# (build-CPU/pmemplan), its kernels' tests, the seconds it took.
arch_stage() { # DEBIAN_ARCH CPU
	local t=$SECONDS
	pp_log "VM tests on $1 (tests/vm/test-arch.sh: its kernels, see tests/vm/README.md)"
	tests/vm/test-arch.sh "$1" "build-$2/pmemplan"
	pp_log "VM tests on $1: $((SECONDS - t)) s"
}
arch_stage arm64 aarch64
arch_stage ppc64el ppc64le

pp_log "VM tests: the what-ifs (--arch, --page-size, --block-size, ...) of an x86 snapshot against each target's real kernel"
t_whatif=$SECONDS
tests/vm/test-whatif.sh build/pmemplan \
	arm64/6.12=build-aarch64/pmemplan \
	arm64/6.12,memory_hotplug.memmap_on_memory=1=build-aarch64/pmemplan \
	arm64-16k/6.12=build-aarch64/pmemplan \
	ppc64el-64k/6.12=build-ppc64le/pmemplan \
	ppc64el-64k/6.12,memory_hotplug.memmap_on_memory=force=build-ppc64le/pmemplan \
	ppc64el/6.12=build-ppc64le/pmemplan \
	ppc64el/6.12,memory_hotplug.memmap_on_memory=force=build-ppc64le/pmemplan
pp_log "what-if stage: $((SECONDS - t_whatif)) s"

pp_log "Debian: the package (dpkg-buildpackage, lintian, = make install) on the real system in QEMU (6.1 and 6.12)"
t_deb=$SECONDS
tests/debian.sh 6.1 6.12
pp_log "Debian stage: $((SECONDS - t_deb)) s"

pp_log "benchmarks"
PMEMPLAN=build/pmemplan tests/bench/show-bench.sh
PMEMPLAN=build/pmemplan tests/bench/plan-bench.sh
PMEMPLAN=build/pmemplan tests/bench/fleet-bench.sh

pp_log "quality gates: valgrind, libFuzzer, cppcheck + clang-tidy, non-root VM, coverage"
tests/quality.sh

pp_log "all tests passed in $((SECONDS - t0)) s"
