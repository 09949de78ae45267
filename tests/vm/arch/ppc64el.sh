# shellcheck shell=bash
# ppc64el (ppc64le) guests: qemu-system-ppc64 -M pseries with a PAPR SCM
# NVDIMM under TCG.  Sourced by lib.sh (vm_arch_load) for kernels named
# ppc64el/6.12 (Debian's powerpc64le flavour: 4K pages) and
# ppc64el-64k/6.12 (powerpc64le-64k).  The variables are described in
# arm64.sh.
# shellcheck disable=SC2034 # read by the scripts that source lib.sh
ARCH_TRIPLET=powerpc64le-linux-gnu
ARCH_ELF_MACHINE=PowerPC64
ARCH_KFLAVOUR=powerpc64le
ARCH_USERLAND=debian
ARCH_GUEST_PKGS=(busybox-static kmod ndctl daxctl util-linux
	libndctl6 libdaxctl1 libcxl1 libkmod2 libjson-c5 libsmartcols1 libblkid1 libuuid1)
ARCH_QEMU=qemu-system-ppc64
ARCH_QEMU_PKGS=(qemu-system-ppc)
# VOF: QEMU's own minimal Open Firmware, 4.8 s to boot where SLOF takes 8;
# POWER9 for the radix MMU.
ARCH_MACHINE=pseries,nvdimm=on,x-vof=on
ARCH_CPU=power9
ARCH_FIRMWARE=()
ARCH_CONSOLE=hvc0
# papr_scm, libnvdimm, nd_pmem and dax_pmem built out of tree (no Debian
# ppc64el kernel sets CONFIG_LIBNVDIMM; build-ppc64-nvdimm.sh, which also
# keeps them off the ISA 3.1 flushes QEMU's TCG lacks).
ARCH_MODULES="papr_scm nd_pmem dax_pmem device_dax kmem"
# labelled: a PAPR SCM NVDIMM comes up with a label index (no init-labels
# step; QEMU's x86 and arm64 NVDIMMs come up blank).
ARCH_FEATURES="labelled"
# QEMU's spapr NVDIMM: a uuid, and a size less the label area that is a
# multiple of SPAPR_MINIMUM_SCM_BLOCK_SIZE (256 MiB); run-vm.sh rounds
# --nvdimm SIZE down to that and adds the label area to the backend.
ARCH_NVDIMM_UUID=1
ARCH_NVDIMM_BLOCK=$((256 << 20))
# memmap_on_memory for kmem: "force" (with 64K pages a 256 MiB block's 4
# memmap pages are no whole 32-page pageblock, so =1 refuses the dax
# device's memmap_on_memory; force pads them to one: 28 pages wasted)
ARCH_MOM_PARAM=force

# The kernel: fetch-ppc64el.sh (image, headers, kbuild tools, the
# linux-source files; bookworm-backports only, 6.12), then the libnvdimm
# modules built into it.  Prints the kernel directory.
arch_kernel_fetch() {
	local kdir
	[[ $VM_KVERSION == 6.12 ]] || vm_die "ppc64el: only 6.12 (the libnvdimm modules are built from linux-source-6.12)"
	kdir=$("$VM_DIR/fetch-ppc64el.sh" "$ARCH_KFLAVOUR$VM_KVARIANT") ||
		vm_die "cannot fetch the $ARCH_KFLAVOUR$VM_KVARIANT kernel"
	"$VM_DIR/build-ppc64-nvdimm.sh" "$kdir" >/dev/null ||
		vm_die "cannot build the libnvdimm modules for $kdir"
	echo ppc64el >"$kdir/arch"
	# pseries boots the ELF vmlinux (Debian ships no vmlinuz there)
	[[ -e $kdir/vmlinuz ]] || ln -s vmlinux "$kdir/vmlinuz"
	printf '%s\n' "$kdir"
}

# "DRIVER KERNEL SCENARIO..." lines of test-arch.sh: both flavours, with
# and without memory_hotplug.memmap_on_memory=force (mom, fresh-mom-force).
ARCH_TESTS=(
	"show ppc64el-64k/6.12 mixed mom nopmem"
	"plan ppc64el-64k/6.12 fresh two-regions"
	"apply ppc64el-64k/6.12 fresh fresh-mom-force"
	"show ppc64el/6.12 mixed mom"
	"plan ppc64el/6.12 fresh"
	"apply ppc64el/6.12 fresh fresh-mom-force"
)

# What capture-arch.sh writes into tests/snapshots (2 GiB of RAM: the
# NVDIMM at 0x80000000, as kernel-model.md §13 measured).
ARCH_CAPTURES=(
	"ppc64-64k ppc64el-64k/6.12 ndctl-mom --mem 2G --nvdimm 4G,label --append memory_hotplug.memmap_on_memory=force"
	"ppc64-64k-fresh ppc64el-64k/6.12 fresh --mem 2G --nvdimm 4G,label --append memory_hotplug.memmap_on_memory=force"
)
