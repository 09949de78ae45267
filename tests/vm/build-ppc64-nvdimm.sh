#!/usr/bin/env bash
# Usage: build-ppc64-nvdimm.sh KERNELDIR
#
# Adds the libnvdimm drivers to a Debian ppc64el kernel unpacked by
# fetch-ppc64el.sh, whose configuration lacks them (# CONFIG_LIBNVDIMM is not
# set) although it has everything they sit on (ZONE_DEVICE, MEMORY_HOTPLUG,
# DAX=y, DEV_DAX=m, DEV_DAX_KMEM=m, PPC_PSERIES).  Builds out of tree, from
# the same version's linux-source files in KERNELDIR/src, against the
# kernel's headers in KERNELDIR/headers, with the cross compiler:
#   libnvdimm.ko   drivers/nvdimm core, with ND_CLAIM, NVDIMM_PFN and
#                  NVDIMM_DAX (the pfn and dax info blocks), without BTT and
#                  security keys
#   nd_pmem.ko     drivers/nvdimm/pmem.c (namespaces, info-block writes)
#   dax_pmem.ko    drivers/dax/pmem.c (devdax namespaces -> /dev/daxX.Y;
#                  device_dax and kmem are Debian's own modules)
#   papr_scm.ko    arch/powerpc/platforms/pseries/papr_scm.c, the PAPR SCM
#                  NVDIMM of QEMU's pseries machine
# installs them as KERNELDIR/lib/modules/<release>/extra/*.ko, runs depmod
# there (so modprobe -d KERNELDIR and mkinitramfs.sh find them) and prints
# KERNELDIR.  The build tree, its generated Kbuild files and the build log
# stay in KERNELDIR/nvdimm-build/; KERNELDIR/nvdimm-build/done marks a
# finished build, and a second run does nothing.
#
# The modules are unsigned and out of tree: they taint the kernel (O, E);
# vermagic and the symbol versions are the kernel's own (headers'
# Module.symvers).
#
# Flushing: QEMU's TCG (bookworm's 7.2 and bookworm-backports' 10.0.2, with
# -cpu power10 too) raises an illegal-instruction exception on
# dcbstps/dcbfps (dcbst/dcbf with L=6/L=4, ISA 3.1), which the kernel's
# arch_wb_cache_pmem, arch_invalidate_pmem, memcpy_flushcache and
# copy_from_user_flushcache (arch/powerpc/lib/pmem.c) run on every POWER8 or
# newer, and on phwsync (sync L=4, pmem_wmb).  So these modules are built
# with tcg-flush.h force-included: their calls to those functions go to
# inline equivalents made of the kernel's own clean_dcache_range and
# flush_dcache_range (dcbst/dcbf, L=0, between hwsyncs: what powerpc's pmem
# helpers were before Linux 5.9) and pmem_wmb is a full sync.  TCG models no
# cache, so what reaches the NVDIMM's backing file is the same; every other
# line of the drivers is the kernel's.  PMEMPLAN_VM_PPC_FLUSH=kernel builds
# them unchanged instead, to try a QEMU that runs the ISA 3.1 forms.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CROSS=powerpc64le-linux-gnu-
# Debian's cross compiler of the same major version as the kernel's gcc-12.
CROSS_PKG=gcc-12-powerpc64le-linux-gnu
CROSS_CC=${CROSS}gcc-12
MODS=(libnvdimm nd_pmem dax_pmem papr_scm)

# The Kconfig answers a real CONFIG_LIBNVDIMM=m kernel would have, as make
# variables (which objects drivers/nvdimm/Makefile picks; make passes
# command-line variables down to every sub-make) ...
KCONFIG_MAKE=(CONFIG_LIBNVDIMM=m CONFIG_BLK_DEV_PMEM=m CONFIG_ND_CLAIM=y
	CONFIG_ND_PFN=m CONFIG_NVDIMM_PFN=y CONFIG_NVDIMM_DAX=y
	CONFIG_DEV_DAX_PMEM=m CONFIG_PAPR_SCM=m)
# ... and as the macros autoconf.h would define for the C code.
KCONFIG_CPP="-DCONFIG_LIBNVDIMM_MODULE=1 -DCONFIG_BLK_DEV_PMEM_MODULE=1 -DCONFIG_ND_CLAIM=1
	-DCONFIG_ND_PFN_MODULE=1 -DCONFIG_NVDIMM_PFN=1 -DCONFIG_NVDIMM_DAX=1
	-DCONFIG_DEV_DAX_PMEM_MODULE=1 -DCONFIG_PAPR_SCM_MODULE=1"
# The host tools that come with the headers (Debian's amd64 linux-kbuild)
# include an objtool that only knows x86, and objtool is what records the
# mcount call sites of -pg code on this kernel (FTRACE_MCOUNT_USE_OBJTOOL):
# build these objects without ftrace instrumentation and without objtool
# (they cannot be traced; nothing else changes).  BTF for modules would
# need pahole; the kernel loads modules without it.
NO_HOST_TOOLS=(CC_FLAGS_FTRACE= CONFIG_OBJTOOL= CONFIG_DEBUG_INFO_BTF_MODULES=)
FLUSH=${PMEMPLAN_VM_PPC_FLUSH:-tcg}

usage() {
	echo "usage: ${0##*/} KERNELDIR   (a directory printed by fetch-ppc64el.sh)" >&2
	exit 2
}

# Fails unless the kernel's configuration has what the drivers need.
check_config() {
	local cfg=$1 want
	grep -q '^# CONFIG_LIBNVDIMM is not set' "$cfg" ||
		vm_die "$cfg: the kernel has its own LIBNVDIMM; nothing to build"
	for want in CONFIG_ZONE_DEVICE=y CONFIG_MEMORY_HOTPLUG=y CONFIG_DAX=y CONFIG_DEV_DAX=m \
		CONFIG_DEV_DAX_KMEM=m CONFIG_PPC_PSERIES=y CONFIG_PPC64=y CONFIG_MEMREGION=y CONFIG_ARCH_HAS_PMEM_API=y; do
		grep -qx "$want" "$cfg" || vm_die "$cfg lacks $want, which the libnvdimm modules need"
	done
}

# Copies the sources into $1 and writes the Kbuild files: drivers/nvdimm
# keeps its own Makefile; drivers/dax and pseries get only the lines of
# theirs that concern dax_pmem and papr_scm (the rest is in the kernel).
# shellcheck disable=SC2016 # $(...) is make's, written literally
make_tree() {
	local b=$1
	cp -a "$KDIR/src/drivers" "$KDIR/src/arch" "$b/"
	echo 'obj-m += drivers/nvdimm/ drivers/dax/ arch/powerpc/platforms/pseries/' >"$b/Kbuild"
	printf '%s\n' 'obj-$(CONFIG_DEV_DAX_PMEM) += dax_pmem.o' 'dax_pmem-y := pmem.o' \
		>"$b/drivers/dax/Kbuild"
	echo 'obj-$(CONFIG_PAPR_SCM) += papr_scm.o' >"$b/arch/powerpc/platforms/pseries/Kbuild"
	[[ $FLUSH == kernel ]] || write_tcg_flush "$b/tcg-flush.h"
}

# The header that takes the ISA 3.1 flush forms out of the modules (see the
# top of this file).  It includes the declarations first, so that the macros
# rename only the calls in the drivers' code, never a prototype.
write_tcg_flush() {
	cat >"$1" <<'EOF'
/* Generated by tests/vm/build-ppc64-nvdimm.sh: QEMU TCG lacks dcbstps/dcbfps. */
#ifndef PMEMPLAN_TCG_FLUSH_H
#define PMEMPLAN_TCG_FLUSH_H
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/libnvdimm.h>
#include <asm/barrier.h>
#include <asm/cacheflush.h>

static inline void tcg_invalidate_pmem(void *addr, size_t size)
{
	flush_dcache_range((unsigned long)addr, (unsigned long)addr + size);
}

static inline void tcg_memcpy_flushcache(void *dst, const void *src, size_t size)
{
	memcpy(dst, src, size);
	clean_dcache_range((unsigned long)dst, (unsigned long)dst + size);
}

static inline size_t tcg_copy_from_iter_flushcache(void *addr, size_t bytes,
						   struct iov_iter *i)
{
	size_t n = _copy_from_iter(addr, bytes, i);

	clean_dcache_range((unsigned long)addr, (unsigned long)addr + n);
	return n;
}

#define arch_invalidate_pmem(a, s) tcg_invalidate_pmem(a, s)
#define memcpy_flushcache(d, s, n) tcg_memcpy_flushcache(d, s, n)
#define _copy_from_iter_flushcache(a, b, i) tcg_copy_from_iter_flushcache(a, b, i)
#undef pmem_wmb
#define pmem_wmb() mb()
#endif
EOF
}

build() {
	local rel b=$KDIR/nvdimm-build m t0 extra cppflags
	rel=$(cat "$KDIR/release")
	[[ $(cat "$b/done" 2>/dev/null) != "flush=$FLUSH "* ]] || return 0
	vm_log "building ${MODS[*]} for $rel"
	check_config "$KDIR/boot/config-$rel"
	vm_need_pkgs "$CROSS_PKG" make kmod
	rm -rf "$b"
	mkdir -p "$b"
	make_tree "$b"
	cppflags=${KCONFIG_CPP//$'\n'/ }
	[[ $FLUSH == kernel ]] || cppflags+=" -include $b/tcg-flush.h"
	t0=$EPOCHREALTIME
	# -C headers: the flavour's objtree (.config, Module.symvers), which
	# includes the -common source tree's Makefile.
	make -s -C "$KDIR/headers" M="$b" -j2 ARCH=powerpc CROSS_COMPILE="$CROSS" \
		CC="$CROSS_CC" KCPPFLAGS="$cppflags" "${KCONFIG_MAKE[@]}" \
		"${NO_HOST_TOOLS[@]}" modules >"$b/build.log" 2>&1 ||
		{ tail -n 30 "$b/build.log" >&2; vm_die "module build failed; log in $b/build.log"; }
	extra=$KDIR/lib/modules/$rel/extra
	mkdir -p "$extra"
	for m in "${MODS[@]}"; do
		m=$(find "$b" -name "$m.ko" -print -quit)
		[[ -n $m ]] || vm_die "the build made no $m.ko; log in $b/build.log"
		cp "$m" "$extra/"
	done
	depmod -b "$KDIR" "$rel"
	awk -v a="$t0" -v b="$EPOCHREALTIME" -v f="$FLUSH" \
		'BEGIN { printf "flush=%s %.1f s\n", f, b - a }' >"$b/done"
	vm_log "built ${MODS[*]} ($(cat "$b/done")) into $extra"
}

main() {
	(($# == 1)) || usage
	[[ -f $1/release && -d $1/headers/ && -d $1/src ]] ||
		vm_die "$1 is not a directory from fetch-ppc64el.sh"
	KDIR=$(cd "$1" && pwd)
	vm_locked "$KDIR/.lock-nvdimm-build" build
	printf '%s\n' "$KDIR"
}

main "$@"
