#!/usr/bin/env bash
# Installs, builds, and runs pmemplan for real in a VM: Debian 12's kernel
# in QEMU with a 4 GiB emulated NVDIMM.  Shows the empty platform, makes a
# devdax namespace with ndctl's defaults, binds it to kmem with daxctl, and
# shows where every byte went.  Needs root (apt-get, QEMU).
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
init_labels
run pmemplan show
echo; echo "# ndctl create-namespace -m devdax && daxctl reconfigure-device -m system-ram all"
ndctl create-namespace -m devdax >/dev/null && bind_kmem
run pmemplan show
run pmemplan show --json
GUEST
tests/vm/run-vm.sh --kernel "${PMEMPLAN_VM_KERNEL:-6.1}" --mem 1G --nvdimm 4098M,label \
	--file build/pmemplan:/bin/pmemplan \
	--file tests/vm/guest/common.sh:/etc/pmemplan-vm/common.sh --script "$script"
