#!/usr/bin/env bash
# Usage: test-ppc64el.sh [FLAVOUR...]      (powerpc64le-64k powerpc64le: default both)
#
# Proves the ppc64le path end to end, judged from the guest kernel: Debian's
# bookworm-backports 6.12 ppc64el kernel with the libnvdimm modules of
# build-ppc64-nvdimm.sh (with its TCG flush helpers), booted in bookworm's
# qemu-system-ppc64 as a pseries machine (VOF firmware, POWER9, radix) with
# one PAPR SCM NVDIMM; in the guest, ndctl create-namespace -m
# devdax -M mem and daxctl reconfigure-device -m system-ram.  Two boots per
# flavour: the default, and memory_hotplug.memmap_on_memory=force with the
# dax device's memmap_on_memory set.  Checks:
#   * the modules load (libnvdimm nd_pmem dax_pmem papr_scm device_dax kmem);
#   * create-namespace succeeds (libnvdimm writes the info block through
#     the flush helpers) and reconfigure-device hot-plugs memory;
#   * the System RAM (kmem) lines of /proc/iomem lie inside the region
#     (regionN/resource: no "Persistent Memory" line on pseries) and are
#     whole memory blocks;
#   * MemTotal grows by the hot-plugged size, or with memmap_on_memory=force
#     by that size less, per block, its struct pages rounded up to a whole
#     pageblock; and dmesg's "Memory hotplug will waste N pages" says that N.
# Every boot takes /tmp/pmemplan-vm.lock; the command line of each is kept
# next to its console (CONSOLE.cmd).  PMEMPLAN_VM_KEEP=1 keeps the
# consoles (path on stderr).  Needs about 2.2 GiB of free RAM per boot.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RAM=2G
CPU=power9
# A PAPR SCM NVDIMM's size less its label area must be a multiple of
# 256 MiB (QEMU's SPAPR_MINIMUM_SCM_BLOCK_SIZE).
NV_SIZE=4G
LABEL=128K
MODULES="papr_scm nd_pmem dax_pmem device_dax kmem"
STRUCT_PAGE=64 # sizeof(struct page) on these configurations

# The guest's part: prints "key value" lines and === sections.
# shellcheck disable=SC2016 # expanded by the guest's shell
GUEST_SCRIPT='
mom=$1
. /lib/pmemplan-vm/helpers.sh
echo "modules $(cut -d" " -f1 /proc/modules | sort | paste -sd, -)"
echo "page $(awk "/^KernelPageSize:/ { print \$2 * 1024; exit }" /proc/self/smaps)"
echo "order $(awk "/^Page block order:/ { print \$4 }" /proc/pagetypeinfo)"
echo "block $((0x$(cat /sys/devices/system/memory/block_size_bytes)))"
r=/sys/bus/nd/devices/region0
echo "region $(($(cat $r/resource))) $(cat $r/size)"
echo "memtotal0 $(awk "/^MemTotal:/ { print \$2 }" /proc/meminfo)"
t0=$(cut -d" " -f1 /proc/uptime)
out=$(ndctl create-namespace -m devdax -M mem) || { echo "create-namespace failed"; exit 10; }
dev=$(echo "$out" | sed -n "s/.*\"chardev\":\"\(dax[0-9.]*\)\".*/\1/p" | head -n 1)
[ -n "$dev" ] || dev=$(echo "$out" | sed -n "s/.*\"chardev\" *: *\"\(dax[0-9.]*\)\".*/\1/p" | head -n 1)
echo "dev $dev"
if [ "$mom" = 1 ]; then
	echo 1 >/sys/bus/dax/devices/$dev/memmap_on_memory || exit 11
fi
to_system_ram "$dev" >/dev/null || { echo "reconfigure-device failed"; exit 12; }
t1=$(cut -d" " -f1 /proc/uptime)
echo "guest_seconds $t0 $t1"
echo "memtotal1 $(awk "/^MemTotal:/ { print \$2 }" /proc/meminfo)"
echo "=== iomem"
cat /proc/iomem
echo "=== dmesg"
dmesg | grep -E "waste|papr_scm|nd_pmem|dax_pmem|kmem|Oops|Illegal|taint" 
echo "=== end"
'

usage() {
	echo "usage: ${0##*/} [powerpc64le-64k] [powerpc64le]" >&2
	exit 2
}

# Unpacks a compressed module in place: busybox's insmod cannot read .ko.xz.
decompress_module() {
	case $1 in
	*.ko.xz) xz -dq "$1" ;;
	*.ko.zst) zstd -dq --rm "$1" ;;
	esac
}

# mk_initrd KDIR USERLAND OUT MOM: the ppc64el userland tree, the drivers
# and their dependencies, guest/init and the test script (an argument of
# /test.sh: the init runs "sh /test.sh"; MOM is written into it).
mk_initrd() {
	local kdir=$1 ul=$2 out=$3 mom=$4 rel root path relpath a mdir
	rel=$(cat "$kdir/release")
	mdir=$kdir/lib/modules/$rel
	root=$(mktemp -d)
	chmod 0755 "$root"
	cp -a "$ul/root/." "$root/"
	mkdir -p "$root"/{proc,sys,dev,tmp,run,root,etc/pmemplan-vm,lib/pmemplan-vm}
	ln -sf busybox "$root/bin/sh"
	for a in modprobe insmod rmmod lsmod modinfo depmod; do
		ln -sf kmod "$root/bin/$a"
	done
	# -C /dev/null: the host's modprobe.d must not hide dependencies.
	# shellcheck disable=SC2086 # MODULES is a word list
	while read -r path; do
		relpath=${path#"$mdir"/}
		mkdir -p "$root/lib/modules/$rel/$(dirname "$relpath")"
		cp "$path" "$root/lib/modules/$rel/$relpath"
		decompress_module "$root/lib/modules/$rel/$relpath"
	done < <(modprobe -C /dev/null -d "$kdir" -S "$rel" --show-depends -a $MODULES |
		awk '$1 == "insmod" { print $2 }' | sort -u)
	cp "$mdir"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$rel/"
	depmod -b "$root" "$rel"
	echo "$MODULES" >"$root/etc/pmemplan-vm/modules"
	install -m 0755 "$VM_DIR/guest/init" "$root/init"
	install -m 0644 "$VM_DIR/guest/helpers.sh" "$root/lib/pmemplan-vm/helpers.sh"
	printf 'set -- %s\n%s' "$mom" "$GUEST_SCRIPT" >"$root/test.sh"
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
	rm -rf "$root"
}

# boot KDIR INITRD CONSOLE APPEND: one QEMU run under the VM lock; sets
# BOOT_SECONDS to the time QEMU ran (the wait for the lock left out).
boot() {
	local kdir=$1 initrd=$2 console=$3 append=$4 img=$run/nvdimm.img lock t0 t1
	rm -f "$img"
	truncate -s $(($(vm_bytes "$NV_SIZE") + $(vm_bytes "$LABEL"))) "$img"
	# shellcheck disable=SC2054 # the commas are QEMU's
	QEMU_CMD=(qemu-system-ppc64
		-M pseries,nvdimm=on,x-vof=on -accel tcg -cpu "$CPU" -smp 1
		-m "$RAM,slots=2,maxmem=8G"
		-object "memory-backend-file,id=m0,share=on,mem-path=$img,size=$(stat -c %s "$img")"
		-device "nvdimm,memdev=m0,id=nv0,label-size=$LABEL,uuid=$(cat /proc/sys/kernel/random/uuid)"
		-kernel "$kdir/vmlinux" -initrd "$initrd"
		-append "console=hvc0 quiet loglevel=3 panic=-1 $append"
		-nographic -no-reboot -nic none)
	printf '%q ' "${QEMU_CMD[@]}" >"$console.cmd"
	exec {lock}>/tmp/pmemplan-vm.lock
	flock "$lock"
	t0=$EPOCHREALTIME
	timeout -k 10 300 "${QEMU_CMD[@]}" </dev/null >"$console" 2>&1 {lock}>&- || :
	t1=$EPOCHREALTIME
	exec {lock}>&-
	BOOT_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	tr -d '\r' <"$console" >"$console.txt"
}

# val FILE KEY: the value(s) of a "key value" line of the guest.
val() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$1"; }

# judge CONSOLE MOM: the checks on one boot's console.
judge() {
	local c=$1 mom=$2 m page order block r0 rsize mt0 mt1 kmem=0 nblk=0 s e line
	local memmap waste want_waste per_block want_delta delta bad=0
	if ! grep -q '^@@PMEMPLAN-VM-EXIT 0@@' "$c"; then
		fail "guest script did not succeed: $(grep -aEo 'PMEMPLAN-VM-EXIT [0-9]+' "$c" || echo 'no exit marker')"
		tail -n 25 "$c" | sed 's/^/  | /'
		return
	fi
	ok "create-namespace -m devdax -M mem and reconfigure-device -m system-ram"
	for m in libnvdimm nd_pmem dax_pmem papr_scm device_dax kmem; do
		[[ ,$(val "$c" modules), == *",$m,"* ]] || { fail "module $m not loaded"; bad=1; }
	done
	((bad)) || ok "modules loaded: libnvdimm nd_pmem dax_pmem papr_scm device_dax kmem"
	page=$(val "$c" page) order=$(val "$c" order) block=$(val "$c" block)
	read -r r0 rsize <<<"$(val "$c" region)"
	mt0=$(val "$c" memtotal0) mt1=$(val "$c" memtotal1)
	while IFS= read -r line; do
		[[ $line =~ ^\ *([0-9a-f]+)-([0-9a-f]+)\ :\ System\ RAM\ \(kmem\) ]] || continue
		s=$((16#${BASH_REMATCH[1]})) e=$((16#${BASH_REMATCH[2]} + 1))
		if ((s < r0 || e > r0 + rsize || s % block || e % block)); then
			fail "kmem $line is not whole blocks inside region $(printf '%#x+%#x' "$r0" "$rsize")"
			bad=1
		fi
		kmem=$((kmem + e - s))
	done < <(sed -n '/^=== iomem/,/^=== dmesg/p' "$c")
	nblk=$((kmem / block))
	((nblk > 0)) || { fail "no System RAM (kmem) in /proc/iomem"; return; }
	((bad)) || ok "kmem: $nblk blocks of $((block >> 20)) MiB inside region $(printf '%#x' "$r0") (page $page, pageblock order $order)"
	delta=$(((mt1 - mt0) * 1024))
	if ((mom)); then
		# mm/memory_hotplug.c, memory_block_memmap_on_memory_pages():
		# PFN_UP(memmap size), rounded up to a pageblock when forced.
		memmap=$(((block * STRUCT_PAGE / page + page - 1) / page))
		per_block=$(((memmap + (1 << order) - 1) >> order << order))
		want_waste=$((per_block - memmap))
		waste=$(sed -n 's/.*Memory hotplug will waste \([0-9]*\) pages in each memory block.*/\1/p' "$c" | head -n 1)
		if [[ $waste == "$want_waste" ]]; then
			ok "dmesg: memory hotplug will waste $waste pages in each memory block ($memmap memmap pages)"
		else
			fail "waste line says '${waste:-nothing}', want $want_waste pages"
		fi
		want_delta=$((nblk * (block - per_block * page)))
	else
		want_delta=$kmem
	fi
	if ((delta == want_delta)); then
		ok "MemTotal grew by $((delta >> 10)) kB ($mt0 -> $mt1)"
	else
		fail "MemTotal grew by $((delta >> 10)) kB, want $((want_delta >> 10)) kB"
	fi
}

main() {
	local flavours=("$@") f kdir ul mom label append
	((${#flavours[@]})) || flavours=(powerpc64le-64k powerpc64le)
	for f in "${flavours[@]}"; do
		case $f in powerpc64le | powerpc64le-64k) ;; *) usage ;; esac
	done
	vm_need_pkgs qemu-system-ppc cpio xz-utils kmod
	ul=$("$VM_DIR/fetch-userland.sh" ppc64el)
	run=$(mktemp -d)
	if [[ -n ${PMEMPLAN_VM_KEEP:-} ]]; then
		echo "keeping $run" >&2
	else
		trap 'rm -rf "$run"' EXIT
	fi
	out=$run
	: >"$out/FAILED"
	for f in "${flavours[@]}"; do
		kdir=$("$VM_DIR/fetch-ppc64el.sh" "$f")
		"$VM_DIR/build-ppc64-nvdimm.sh" "$kdir" >/dev/null
		for mom in 0 1; do
			label=$f append=''
			if ((mom)); then
				label+=' memmap_on_memory=force'
				append=memory_hotplug.memmap_on_memory=force
			fi
			current=$label
			echo "$label:"
			mk_initrd "$kdir" "$ul" "$run/initrd-$f-$mom.gz" "$mom"
			boot "$kdir" "$run/initrd-$f-$mom.gz" "$run/console-$f-$mom" "$append"
			judge "$run/console-$f-$mom.txt" "$mom"
			echo "  (QEMU ran $BOOT_SECONDS s)"
		done
	done
	kernels=("${flavours[@]}")
	vm_finish ppc64el
}

main "$@"
