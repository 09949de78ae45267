#!/usr/bin/env bash
# Boots one of Debian's kernels in QEMU (TCG) with emulated NVDIMMs, on the
# kernel's architecture (tests/vm/arch/ARCH.sh), runs a shell
# script in the guest as root, prints its output and exits with its status.
# See usage() for the options; tests/vm/README.md for the guest environment.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_MARK='@@PMEMPLAN-VM-START@@'
EXIT_RE='@@PMEMPLAN-VM-EXIT [0-9]+@@'
# Exit statuses of our own, outside what a guest script usually returns.
RC_TIMEOUT=124
RC_NOMARK=125

usage() {
	cat <<-EOF
		usage: ${0##*/} [options] (--script FILE | --command CMD)

		  --kernel NAME          guest kernel (default 6.1, or \$PMEMPLAN_VM_KERNEL):
		                         6.1, 6.12 (amd64), arm64/6.1, arm64/6.12,
		                         arm64-16k/6.12 (fetch-kernel.sh)
		  --mem SIZE             guest RAM (default 1G; 66G with --big-blocks)
		  --smp N                guest CPUs (default 1)
		  --nvdimm SPEC          SIZE[,label[=SIZE]][,addr=0xADDR]; repeatable.
		                         label: label area (default 128K) so namespaces
		                         are labelled; addr: guest physical address.
		                         ppc64el: SIZE rounded down to 256 MiB of
		                         data, plus a label area always
		  --nvdimm-file PATH     backing file of the Nth --nvdimm (Nth use of
		                         this option); created sparse if missing, kept
		                         afterwards, so a second boot sees the labels
		  --append ARGS          extra kernel command line (repeatable)
		  --pvh                  boot the uncompressed vmlinux through PVH (no
		                         firmware, no decompressor, no KASLR): 6.1 boots
		                         ~3 s faster; low-memory e820 and MemTotal differ
		                         slightly from a normal boot (\$PMEMPLAN_VM_PVH=1);
		                         amd64 only
		  --big-blocks           RAM from a sparse shared file and
		                         -cpu max,-hypervisor: x86 then picks 2 GiB
		                         memory blocks (needs --mem >= 64G); amd64 only
		  --script FILE          shell script run as root in the guest
		  --command CMD          the same, given as a string
		  --file SRC[:DST]       extra file or tree in the guest (repeatable;
		                         DST defaults to /bin/BASENAME)
		  --timeout SECONDS      limit for the QEMU run, boot included (default 600)
		  --maxmem SIZE          QEMU maxmem (default: derived)
		  --qemu-arg ARG         extra QEMU argument (repeatable)
		  --cxl ram=SIZE|pmem=SIZE
		                         a CXL type-3 memory expander (repeatable):
		                         volatile or persistent capacity, each on
		                         its own root port of one CXL host bridge
		                         (plus an empty port); q35 with cxl=on and
		                         bookworm-backports' QEMU (fetch-qemu.sh);
		                         amd64 only
		  --cxl-window SIZE      the CXL fixed memory window (default: the
		                         devices' sum, at least 4G; a multiple of 256M)
		  --cxl-granularity N    the window's interleave granularity (default 256)
		  --log FILE             save the whole serial console there
		  --verbose              also show kernel/firmware console lines (stderr)
		  --keep                 keep the per-run directory (printed on stderr)

		Exit status: the guest script's; $RC_TIMEOUT on timeout; $RC_NOMARK if the guest
		never reported one (panic, boot failure); 1 on host-side errors;
		2 on bad usage.
	EOF
	exit "${1:-2}"
}

# Option values; arrays for the repeatable ones.
KERNEL=${PMEMPLAN_VM_KERNEL:-6.1}
MEM='' SMP=1 MAXMEM='' BIG=0 SCRIPT='' COMMAND='' TIMEOUT=600
LOG='' VERBOSE=0 KEEP=0 PVH=${PMEMPLAN_VM_PVH:-0}
NVDIMMS=() NVFILES=() APPEND=() FILES=() QEMU_EXTRA=() CXLS=()
CXL_WINDOW='' CXL_GRAN=256

parse_args() {
	local opt val
	while (($#)); do
		opt=$1
		shift
		case $opt in
		--big-blocks) BIG=1; continue ;;
		--verbose) VERBOSE=1; continue ;;
		--keep) KEEP=1; continue ;;
		--pvh) PVH=1; continue ;;
		-h | --help) usage 0 ;;
		--*=*) val=${opt#*=} opt=${opt%%=*} ;;
		--kernel | --mem | --smp | --maxmem | --nvdimm | --nvdimm-file | --append | --script | \
			--command | --file | --timeout | --qemu-arg | --log | --cxl | --cxl-window | \
			--cxl-granularity)
			(($#)) || { vm_log "$opt needs a value"; usage; }
			val=$1
			shift
			;;
		*) vm_log "unknown argument '$opt'"; usage ;;
		esac
		case $opt in
		--kernel) KERNEL=$val ;;
		--mem) MEM=$val ;;
		--smp) SMP=$val ;;
		--maxmem) MAXMEM=$val ;;
		--nvdimm) NVDIMMS+=("$val") ;;
		--nvdimm-file) NVFILES+=("$val") ;;
		--append) APPEND+=("$val") ;;
		--script) SCRIPT=$val ;;
		--command) COMMAND=$val ;;
		--file) FILES+=("$val") ;;
		--timeout) TIMEOUT=$val ;;
		--qemu-arg) QEMU_EXTRA+=("$val") ;;
		--log) LOG=$val ;;
		--cxl) CXLS+=("$val") ;;
		--cxl-window) CXL_WINDOW=$val ;;
		--cxl-granularity) CXL_GRAN=$val ;;
		*) vm_log "unknown option $opt"; usage ;;
		esac
	done
	[[ -n $SCRIPT || -n $COMMAND ]] || { vm_log "give --script or --command"; usage; }
	[[ -z $SCRIPT || -f $SCRIPT ]] || vm_die "no script $SCRIPT"
	((${#NVFILES[@]} <= ${#NVDIMMS[@]})) || vm_die "more --nvdimm-file than --nvdimm options"
	[[ $TIMEOUT =~ ^[0-9]+$ ]] || vm_die "--timeout wants seconds"
	vm_kernel_parse "$KERNEL" || vm_die "unknown kernel '$KERNEL' (see --help)"
	vm_arch_load "$VM_KARCH"
	((PVH == 0)) || [[ " $ARCH_FEATURES " == *" pvh "* ]] ||
		vm_die "--pvh: no PVH boot on $VM_KARCH"
	((BIG == 0)) || [[ " $ARCH_FEATURES " == *" bigblocks "* ]] ||
		vm_die "--big-blocks: $VM_KARCH has no 2 GiB memory blocks"
	((${#CXLS[@]} == 0)) || [[ $VM_KARCH == amd64 ]] ||
		vm_die "--cxl: CXL guests are amd64 only (q35)"
	if [[ -z $MEM ]]; then
		MEM=1G
		((BIG == 0)) || MEM=66G
	fi
}

mib() { echo $(($(vm_bytes "$1") >> 20)); }

# Adds QEMU arguments for NVDIMM number $1 from its SPEC; sums sizes in NV_MIB.
add_nvdimm() {
	local i=$1 spec=${NVDIMMS[$1]} size='' dev part parts bytes file label=''
	dev="nvdimm,memdev=m$i,id=nv$i"
	IFS=, read -ra parts <<<"$spec"
	for part in "${parts[@]}"; do
		case $part in
		label) label=128K ;;
		label=*) label=${part#label=} ;;
		addr=*) dev+=",$part" ;;
		*) [[ -z $size ]] || vm_die "--nvdimm $spec: two sizes"; size=$part ;;
		esac
	done
	[[ -n $size ]] || vm_die "--nvdimm $spec: no size"
	bytes=$(vm_bytes "$size")
	file=${NVFILES[$i]:-$RUN/nvdimm$i.img}
	# pseries (ARCH_NVDIMM_BLOCK): a label area always, the size less it
	# a whole number of SCM blocks (SIZE rounded down: 4098M as on x86
	# gives a 4 GiB region), and a uuid, the same for a backing file on
	# every boot
	if [[ -n ${ARCH_NVDIMM_BLOCK:-} ]]; then
		: "${label:=128K}"
		bytes=$((bytes / ARCH_NVDIMM_BLOCK * ARCH_NVDIMM_BLOCK + $(vm_bytes "$label")))
	fi
	[[ -z $label ]] || dev+=",label-size=$label"
	if [[ -n ${ARCH_NVDIMM_UUID:-} ]]; then
		dev+=",uuid=$(md5sum <<<"$file" | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/')"
	fi
	backing_file "$file" "$bytes"
	NV_MIB=$((NV_MIB + (bytes >> 20) + 1))
	QEMU+=(-object "memory-backend-file,id=m$i,share=on,mem-path=$file,size=$bytes,align=2M"
		-device "$dev")
}

# The CXL topology of the --cxl options (lib.sh vm_cxl_qemu): the machine
# becomes q35,cxl=on and the QEMU bookworm-backports'; the CPU without the
# hypervisor bit: committing a region invalidates the CPU caches of its
# range (region.c cxl_region_invalidate_memregion()), which x86 can only
# do on bare metal (cpu_cache_has_invalidate_memregion()), else the commit
# fails "Failed to synchronize CPU cache state" (ENXIO).
add_cxl() {
	vm_cxl_qemu "$RUN" "$CXL_GRAN" "$CXL_WINDOW" "${CXLS[@]}"
	ARCH_QEMU=$VM_CXL_QEMU
	ARCH_MACHINE=q35,cxl=on
	ARCH_CPU=max,-hypervisor
	QEMU+=("${VM_CXL_ARGS[@]}")
}

# A sparse file of exactly $2 bytes: QEMU keeps the label area at the end of
# the backend, so a reused file of another size would lose its labels.
backing_file() {
	local file=$1 bytes=$2 have
	if [[ -e $file ]]; then
		have=$(stat -c %s "$file")
		((have == bytes)) || vm_die "$file has $have bytes, --nvdimm says $bytes"
	else
		truncate -s "$bytes" "$file"
	fi
}

# maxmem must hold RAM plus every NVDIMM (plus slack for addr= placements);
# the design's measurements used 64G, so that is the floor.
machine_args() {
	local mem_mib max_mib slots=4 machine=$ARCH_MACHINE cpu=$ARCH_CPU
	mem_mib=$(mib "$MEM")
	max_mib=$(((mem_mib + NV_MIB + 8192 + 1023) / 1024 * 1024))
	((max_mib >= 65536)) || max_mib=65536
	[[ -z $MAXMEM ]] || max_mib=$(mib "$MAXMEM")
	((${#NVDIMMS[@]} <= slots)) || slots=${#NVDIMMS[@]}
	if ((BIG)); then
		((mem_mib >= 65536)) || vm_die "--big-blocks needs --mem of at least 64G (got $MEM)"
		vm_big_ram "$RUN" "$mem_mib"
		QEMU+=("${VM_RAM_ARGS[@]}")
		machine+=$VM_RAM_MACHINE
		# x86 only uses 2 GiB blocks when it believes it runs on bare metal.
		[[ $cpu == *-hypervisor* ]] || cpu+=,-hypervisor
	fi
	QEMU+=(-machine "$machine" -accel tcg -cpu "$cpu" -smp "$SMP" "${ARCH_FIRMWARE[@]}"
		-m "${mem_mib}M,slots=$slots,maxmem=${max_mib}M")
}

# Unpacks the kernel proper from the bzImage once (cached next to it), like
# the kernel's scripts/extract-vmlinux: try each compression magic until one
# decompresses to an ELF file.  Debian's 6.1 is xz, 6.12 zstd.
# shellcheck disable=SC2317 # run through vm_locked
extract_vmlinux() {
	local kdir=$1 out=$1/vmlinux magic tool pos
	[[ ! -s $out ]] || return 0
	vm_need_pkgs xz-utils zstd
	for magic in '\xFD7zXZ\x00:xz' '\x28\xB5\x2F\xFD:zstd' '\x1F\x8B\x08:gzip'; do
		tool=${magic##*:}
		while read -r pos; do
			tail -c +$((pos + 1)) "$kdir/vmlinuz" | "$tool" -dc >"$out.tmp" 2>/dev/null || :
			if [[ $(head -c 4 "$out.tmp" | tr -d '\0') == $'\x7fELF' ]]; then
				mv "$out.tmp" "$out"
				return 0
			fi
		done < <(LC_ALL=C grep -obUaP "${magic%:*}" "$kdir/vmlinuz" | cut -d: -f1)
	done
	rm -f "$out.tmp"
	vm_die "cannot find the compressed kernel inside $kdir/vmlinuz"
}

# The -kernel image: the bzImage, or with --pvh the ELF vmlinux (QEMU boots
# that through its PVH entry point).
kernel_image() {
	local kdir=$1
	if ((PVH)); then
		vm_locked "$VM_CACHE/.lock-vmlinux" extract_vmlinux "$kdir"
		echo "$kdir/vmlinux"
	else
		echo "$kdir/vmlinuz"
	fi
}

# Builds the initramfs with the script at /test.sh and the --file extras.
make_initrd() {
	local kdir=$1 script=$RUN/test.sh
	if [[ -n $SCRIPT ]]; then
		cp "$SCRIPT" "$script"
	else
		printf '%s\n' "$COMMAND" >"$script"
	fi
	"$VM_DIR/mkinitramfs.sh" "$kdir" "$RUN/initrd.cpio.gz" "$script:/test.sh" "${FILES[@]}"
}

# Streams the console: the guest script's lines (between the markers) to
# stdout, init's complaints (and with --verbose everything else) to stderr,
# all of it to the log.
filter_console() {
	awk -v start="$START_MARK" -v exit_re="$EXIT_RE" -v verbose="$VERBOSE" -v logfile="$CONSOLE" '
		{ sub(/\r$/, ""); print > logfile; fflush(logfile) }
		state == 1 && match($0, exit_re) {
			if (RSTART > 1) print substr($0, 1, RSTART - 1)
			state = 2; fflush(); next
		}
		state == 1 { print; fflush(); next }
		state == 0 && index($0, start) { state = 1; next }
		verbose || /^pmemplan-init: / { print > "/dev/stderr" }
	'
}

# Exit status from the log, or a diagnosis of why there is none.
guest_status() {
	local qemu_rc=$1 rc
	rc=$(grep -aEo "$EXIT_RE" "$CONSOLE" | head -n 1 | tr -dc 0-9) || :
	if [[ -n $rc ]]; then
		echo "$rc"
		return
	fi
	# timeout(1) says 124 after TERM, 137 when it had to KILL.
	if ((qemu_rc == 124 || qemu_rc == 137)); then
		vm_log "error: guest did not finish within $TIMEOUT s (raise --timeout?); last console lines:"
		rc=$RC_TIMEOUT
	else
		vm_log "error: guest ended without the exit marker (qemu status $qemu_rc); last console lines:"
		rc=$RC_NOMARK
	fi
	tail -n 30 "$CONSOLE" | sed 's/^/  | /' >&2
	[[ ! -s $RUN/qemu.err ]] || sed 's/^/  qemu: /' "$RUN/qemu.err" >&2
	echo "$rc"
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	[[ -z $LOG ]] || cp "$CONSOLE" "$LOG" 2>/dev/null || :
	if ((KEEP)); then
		vm_log "run directory kept: $RUN"
	else
		rm -rf "$RUN"
	fi
}

main() {
	parse_args "$@"
	vm_need_pkgs "${ARCH_QEMU_PKGS[@]}"
	local kdir kimg i t0 st rc
	kdir=$("$VM_DIR/fetch-kernel.sh" "$KERNEL")
	kimg=$(kernel_image "$kdir")
	RUN=$(mktemp -d "${TMPDIR:-/tmp}/pmemplan-vm.XXXXXX")
	CONSOLE=$RUN/console.log
	trap cleanup EXIT
	make_initrd "$kdir"

	QEMU=() NV_MIB=0
	for i in "${!NVDIMMS[@]}"; do
		add_nvdimm "$i"
	done
	((${#CXLS[@]} == 0)) || add_cxl
	machine_args
	# oops=panic: an oops kills the process and often wedges the kernel
	# until the timeout; as a panic it ends the guest at once (exit 125,
	# the oops on stderr)
	QEMU+=(-kernel "$kimg" -initrd "$RUN/initrd.cpio.gz"
		-append "console=$ARCH_CONSOLE quiet loglevel=3 panic=-1 oops=panic ${APPEND[*]}"
		-nographic -no-reboot -nic none "${QEMU_EXTRA[@]}")

	t0=$EPOCHREALTIME
	set +e
	timeout -k 10 "$TIMEOUT" "$ARCH_QEMU" "${QEMU[@]}" </dev/null 2>"$RUN/qemu.err" |
		filter_console
	st=("${PIPESTATUS[@]}")
	set -e
	if ((VERBOSE)); then
		vm_log "qemu ran $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s, kernel $(cat "$kdir/release")"
	fi
	rc=$(guest_status "${st[0]}")
	exit "$rc"
}

main "$@"
