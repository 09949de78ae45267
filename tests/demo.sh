#!/usr/bin/env bash
# Installs, builds, and runs pmemplan for real in a VM: Debian 12's kernel
# in QEMU with a fresh 4 GiB emulated NVDIMM (labels not initialised):
# show -> plan -> apply -> show, then apply again (nothing to do).  The plain
# command: a label area never written needs no --force.
# Needs root (apt-get, QEMU).
set -euo pipefail
. "$(dirname "$0")/build.sh"
cd "$PP_TOP"
pp_install "${PP_PACKAGES[@]}"
pp_build build
script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat >"$script" <<'GUEST'
. /etc/pmemplan-vm/common.sh
run() { echo; echo "# $*"; "$@" 2>&1 | cat; }
run pmemplan show
run pmemplan plan --target kmem
run pmemplan apply --target kmem
run pmemplan show
run pmemplan apply --target kmem
GUEST
tests/vm/run-vm.sh --kernel "${PMEMPLAN_VM_KERNEL:-6.1}" --mem 1G --nvdimm 4098M,label \
	--file build/pmemplan:/bin/pmemplan \
	--file tests/vm/guest/common.sh:/etc/pmemplan-vm/common.sh --script "$script"
