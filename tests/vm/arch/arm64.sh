# shellcheck shell=bash
# arm64 (aarch64) guests: qemu-system-aarch64 -M virt under TCG.  Sourced by
# lib.sh (vm_arch_load) for kernels named arm64/VERSION or
# arm64-VARIANT/VERSION (arm64-16k/6.12).
# shellcheck disable=SC2034 # read by the scripts that source lib.sh

# GNU triplet: where the arch's shared libraries live (/usr/lib/TRIPLET).
ARCH_TRIPLET=aarch64-linux-gnu
# readelf -h's "Machine:" of the architecture's programs: an extra file for
# another one is refused (mkinitramfs.sh).
ARCH_ELF_MACHINE=AArch64
# Debian's kernel flavour: the image meta package is
# linux-image-$ARCH_KFLAVOUR[-VARIANT] (linux-image-arm64-16k).
ARCH_KFLAVOUR=arm64
# debian: busybox-static, kmod, ndctl, daxctl and every shared library the
# guest's programs need come from this architecture's Debian packages,
# downloaded and unpacked into the cache (lib.sh: vm_userland); nothing
# foreign is installed on the host.  ARCH_GUEST_PKGS are the packages;
# their library Depends are followed.  pmemplan's own libraries are among
# them; util-linux is for flock (test-apply.sh), which busybox lacks.
ARCH_USERLAND=debian
ARCH_GUEST_PKGS=(busybox-static kmod ndctl daxctl util-linux
	libndctl6 libdaxctl1 libcxl1 libkmod2 libjson-c5 libsmartcols1 libblkid1 libuuid1)
ARCH_QEMU=qemu-system-aarch64
ARCH_QEMU_PKGS=(qemu-system-arm qemu-efi-aarch64)
# UEFI (edk2) gives the kernel ACPI, and ACPI gives the NFIT: no device
# tree work.  pauth-impdef: QEMU's own pointer-authentication algorithm,
# much cheaper under TCG than the architected QARMA (boot 5.7 s, not 9.5 s).
ARCH_MACHINE=virt,nvdimm=on
ARCH_CPU=max,pauth-impdef=on
ARCH_FIRMWARE=(-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd)
ARCH_CONSOLE=ttyAMA0
# No e820 on arm64, so no nd_e820.
ARCH_MODULES="nfit nd_pmem dax_pmem device_dax kmem"
# None of amd64's: no memmap= (no e820), no 2 GiB blocks, no PVH, and the
# NVDIMM sits at the end of RAM rounded up to 1 GiB, not at 4 GiB.
ARCH_FEATURES=""

# What test-arch.sh runs: "DRIVER KERNEL SCENARIO..." (test-DRIVER.sh on
# KERNEL with PMEMPLAN_VM_ONLY="SCENARIO...").
#   6.12: show before and after binding (mixed: fsdax, devdax map=dev and
#         map=mem, raw; mom: memmap_on_memory=1 and the --memmap=auto
#         what-if), plan on fresh devices (vs the bound from /proc/iomem),
#         the plain apply on a fresh device, twice (fresh: the second run
#         changes nothing, then a failure at the last step and a reboot),
#         apply with memmap_on_memory=1 (mom)
#   6.1:  no ZONE_DEVICE: the kernel cannot make devdax, pmemplan says so
#   16k:  a hand-made namespace off its devdax align (compound: show warns,
#         plan binds nothing of it); the plain plan and apply on a fresh
#         device, also with
#         memory_hotplug.memmap_on_memory=force (the kernel must live:
#         a namespace off the 32 MiB devdax alignment oopses it)
ARCH_TESTS=(
	"show arm64/6.12 mixed mom nopmem"
	"plan arm64/6.12 fresh two-regions small-dram small-dram-mom"
	"apply arm64/6.12 fresh mom"
	"show arm64/6.1 nodevdax"
	"show arm64-16k/6.12 compound"
	"plan arm64-16k/6.12 fresh"
	"apply arm64-16k/6.12 fresh fresh-mom-force"
)

# What capture-arch.sh writes into tests/snapshots: "NAME KERNEL PREP
# RUN-VM-OPTIONS" (PREP: scenarios/capture.sh).  2 GiB of RAM puts the
# NVDIMM at 0xc0000000, as kernel-model.md §13 measured.
ARCH_CAPTURES=(
	"arm64-4k arm64/6.12 ndctl --mem 2G --nvdimm 4098M,label"
	"arm64-4k-fresh arm64/6.12 fresh --mem 2G --nvdimm 4098M,label"
	"arm64-4k-applied arm64/6.12 apply --mem 2G --nvdimm 4098M,label"
	"arm64-16k-live-fresh arm64-16k/6.12 fresh --mem 2G --nvdimm 4098M,label"
	"arm64-16k-live-applied arm64-16k/6.12 apply --mem 2G --nvdimm 4098M,label"
)
