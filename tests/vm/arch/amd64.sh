# shellcheck shell=bash
# amd64: the host's own architecture.  Sourced by lib.sh (vm_arch_load);
# the variables are described in arm64.sh.
# shellcheck disable=SC2034 # read by the scripts that source lib.sh
ARCH_TRIPLET=x86_64-linux-gnu
ARCH_ELF_MACHINE="Advanced Micro Devices X86-64"
ARCH_KFLAVOUR=amd64
# The host's busybox, kmod, ndctl and daxctl go into the guest (ldd finds
# their libraries): no download, and the timing of the x86 tests as before.
ARCH_USERLAND=host
ARCH_QEMU=qemu-system-x86_64
ARCH_QEMU_PKGS=(qemu-system-x86)
ARCH_MACHINE=pc,nvdimm=on
ARCH_CPU=max
ARCH_FIRMWARE=()
ARCH_CONSOLE=ttyS0
ARCH_MODULES="nfit nd_pmem nd_e820 dax_pmem device_dax kmem"
# e820: memmap= carve-outs; bigblocks: --big-blocks (2 GiB blocks on "bare
# metal"); pvh: --pvh; addr: the x86 guest addresses the scenarios place
# NVDIMMs at (0x10a000000, 0x1150000000)
ARCH_FEATURES="e820 bigblocks pvh addr"
