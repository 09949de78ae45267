# shellcheck shell=bash
# The real Debian 12 system of mkimage.sh in QEMU, driven over ssh.  Sourced
# by the tests that need systemd, udev, a package manager or a login
# (test-debian.sh), never executed:
#
#   . tests/vm/debian-vm.sh
#   dvm_init "$dir"                   # a guest: its disk is a copy-on-write
#                                     # overlay on the cached image
#   dvm_nvdimm 4098M,label            # emulated NVDIMMs (run-vm.sh's SPEC);
#                                     # backing files kept in $dir for later boots
#   dvm_cxl ram=4G                    # CXL type-3 expanders (lib.sh
#                                     # vm_cxl_qemu): q35, backports' QEMU
#   dvm_boot 6.12                     # power on, wait for ssh (DVM_BOOT_SECONDS)
#   dvm_ssh ndctl list -N             # as root; dvm_ssh -u operator CMD...
#   dvm_scp file.deb /tmp/            # to the guest, as root
#   dvm_reboot 6.12                   # systemctl poweroff, then a new QEMU on
#                                     # the same disk and NVDIMM files
#   dvm_powercut; dvm_boot 6.12       # SIGKILL of QEMU: no shutdown at all
#   dvm_stop                          # at the end (also from an EXIT trap)
#
# Every QEMU run holds flock $PMEMPLAN_VM_LOCK (default /tmp/pmemplan-vm.lock)
# from power-on to power-off: the machine's cores are shared with other VM
# runs, which wait for it (a reboot is two runs, so another may come between
# them; that changes nothing in the guest).  The ssh port is picked under the
# lock among the ports nothing listens on.  The guest reaches nothing but
# its forwarded port (-nic user,restrict=on).
#
# Environment: PMEMPLAN_VM_MEM (guest RAM, default 2G), PMEMPLAN_VM_SMP
# (default 2), PMEMPLAN_VM_BOOT_TIMEOUT (seconds from power-on to ssh,
# default 300); DVM_APPEND (array): more kernel command line.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DVM_LOCK=${PMEMPLAN_VM_LOCK:-/tmp/pmemplan-vm.lock}
DVM_ALIAS=pmemplan-debian-vm	# the host key's name in known_hosts (mkimage.sh)
DVM_APPEND=()

# The guest's shell (sh) lines that print, one fact a line, what the kernel
# shows of hot-plugged memory: "kmem START-END" for each "System RAM
# (kmem)" range of /proc/iomem, then "block memoryN STATE ZONES" for every
# memory block inside it (state, valid_zones).
# shellcheck disable=SC2016,SC2034 # the guest's; for the drivers
DVM_KMEM_BLOCKS_SH='b=$(( 0x$(cat /sys/devices/system/memory/block_size_bytes) ))
	grep "System RAM (kmem)" /proc/iomem | sed "s/^ *//; s/ :.*//" |
	while IFS=- read -r s e; do
		echo "kmem $s-$e"
		n=$(( 0x$s / b ))
		while [ $(( n * b )) -le $(( 0x$e )) ]; do
			m=/sys/devices/system/memory/memory$n
			echo "block memory$n $(cat $m/state) $(cat $m/valid_zones)"
			n=$((n + 1))
		done
	done'

# dvm_init DIR: the guest's directory (created; its console logs, the
# overlay disk and the NVDIMM files live there) on an up-to-date image.
dvm_init() {
	DVM_RUN=$1
	DVM_NVDIMMS=() DVM_NVFILES=() DVM_CXLS=() DVM_BOOTS=0 DVM_PID='' DVM_PORT=''
	mkdir -p "$DVM_RUN"
	vm_need_pkgs qemu-system-x86 qemu-utils openssh-client iproute2 util-linux
	DVM_IMAGE=$("$VM_DIR/mkimage.sh") || vm_die "no Debian image"
	qemu-img create -q -f qcow2 -F raw -b "$DVM_IMAGE/disk.img" "$DVM_RUN/disk.qcow2" ||
		vm_die "cannot create the overlay disk"
}

# dvm_nvdimm SPEC [FILE]: one more NVDIMM, SIZE[,label[=SIZE]] as run-vm.sh
# takes it; its backing file (default DIR/nvdimmN.img, sparse) is created
# at the first boot and reused by every later one.
dvm_nvdimm() {
	DVM_NVFILES+=("${2:-$DVM_RUN/nvdimm${#DVM_NVDIMMS[@]}.img}")
	DVM_NVDIMMS+=("$1")
}

# dvm_cxl SPEC: one more CXL type-3 memory expander (ram=SIZE or
# pmem=SIZE, run-vm.sh's --cxl) for the boots that follow.
dvm_cxl() { DVM_CXLS+=("$1"); }

# The release of the image's kernel 6.1 or 6.12 (e.g. 6.12.95+deb12-amd64).
dvm_release() {
	local found=("$DVM_IMAGE/tree/boot/vmlinuz-$1".[0-9]*)
	if ((${#found[@]} != 1)) || [[ ! -e ${found[0]} ]]; then
		vm_die "the image has no single $1 kernel: ${found[*]}"
	fi
	echo "${found[0]#*/vmlinuz-}"
}

# QEMU's NVDIMM arguments into DVM_QEMU; their sizes summed in DVM_NV_MIB.
dvm_nvdimm_args() {
	local i spec part parts size dev bytes file have
	DVM_NV_MIB=0
	for i in "${!DVM_NVDIMMS[@]}"; do
		spec=${DVM_NVDIMMS[i]} size='' dev="nvdimm,memdev=m$i,id=nv$i"
		IFS=, read -ra parts <<<"$spec"
		for part in "${parts[@]}"; do
			case $part in
			label) dev+=",label-size=128K" ;;
			label=*) dev+=",label-size=${part#label=}" ;;
			addr=*) dev+=",$part" ;;
			*) size=$part ;;
			esac
		done
		[[ -n $size ]] || vm_die "NVDIMM $spec: no size"
		bytes=$(vm_bytes "$size")
		file=${DVM_NVFILES[i]}
		# QEMU keeps the label area at the end of the file: a file of
		# another size would lose the labels.
		if [[ -e $file ]]; then
			have=$(stat -c %s "$file")
			((have == bytes)) || vm_die "$file has $have bytes, NVDIMM $spec says $bytes"
		else
			truncate -s "$bytes" "$file"
		fi
		DVM_NV_MIB=$((DVM_NV_MIB + (bytes >> 20) + 1))
		DVM_QEMU+=(-object "memory-backend-file,id=m$i,share=on,mem-path=$file,size=$bytes,align=2M"
			-device "$dev")
	done
}

# A TCP port on 127.0.0.1 nothing listens on (run under the lock, so no
# other VM run takes it before QEMU does).
dvm_free_port() {
	local port used try
	used=$(ss -Htln | awk '{ n = split($4, a, ":"); print a[n] }')
	for ((try = 0; try < 100; try++)); do
		port=$((20000 + RANDOM % 40000))
		grep -qx "$port" <<<"$used" || { echo "$port"; return 0; }
	done
	return 1
}

# dvm_start KERNEL: powers the guest on (QEMU in the background, waiting for
# the lock first); returns at once.  Its console goes to DIR/console-N.log.
dvm_start() {
	local kernel=$1 rel mem_mib max_mib slots=4 tree=$DVM_IMAGE/tree n
	[[ -z $DVM_PID ]] || vm_die "the guest is running already"
	rel=$(dvm_release "$kernel")
	mem_mib=$(($(vm_bytes "${PMEMPLAN_VM_MEM:-2G}") >> 20))
	DVM_QEMU=()
	dvm_nvdimm_args
	max_mib=$(((mem_mib + DVM_NV_MIB + 8192 + 1023) / 1024 * 1024))
	((max_mib >= 65536)) || max_mib=65536
	((${#DVM_NVDIMMS[@]} <= slots)) || slots=${#DVM_NVDIMMS[@]}
	local qemu=qemu-system-x86_64 machine=pc,nvdimm=on cpu=max rootbus=pci.0
	if ((${#DVM_CXLS[@]})); then
		# as run-vm.sh add_cxl: q35 and the CPU without the hypervisor
		# bit (cxl_region_invalidate_memregion())
		vm_cxl_qemu "$DVM_RUN" 256 '' "${DVM_CXLS[@]}"
		# the disk on the root bus: left to itself QEMU would plug it
		# into the CXL host bridge, which takes only bridges
		qemu=$VM_CXL_QEMU machine=q35,cxl=on,nvdimm=on cpu=max,-hypervisor
		rootbus=pcie.0
		DVM_QEMU+=("${VM_CXL_ARGS[@]}")
	fi
	if ((mem_mib >= 65536)); then
		vm_big_ram "$DVM_RUN" "$mem_mib"
		DVM_QEMU+=("${VM_RAM_ARGS[@]}")
		machine+=$VM_RAM_MACHINE
	fi
	# shellcheck disable=SC2054 # the commas are QEMU's
	DVM_QEMU+=(-machine "$machine" -accel tcg -cpu "$cpu" -smp "${PMEMPLAN_VM_SMP:-2}"
		-m "${mem_mib}M,slots=$slots,maxmem=${max_mib}M"
		-kernel "$tree/boot/vmlinuz-$rel" -initrd "$tree/boot/initrd.img-$rel"
		-append "root=/dev/vda rw console=ttyS0 quiet panic=-1 ${DVM_APPEND[*]}"
		-drive "file=$DVM_RUN/disk.qcow2,if=none,id=disk0,format=qcow2"
		-device "virtio-blk-pci,drive=disk0,bus=$rootbus"
		-display none -monitor none -no-reboot)
	DVM_BOOTS=$((DVM_BOOTS + 1))
	n=$DVM_BOOTS
	DVM_CONSOLE=$DVM_RUN/console-$n.log
	rm -f "$DVM_RUN/qemu.pid" "$DVM_RUN/qemu.port"
	# Under the lock: pick the port, say it and the pid (exec keeps it:
	# the pid is QEMU's), then become QEMU.
	# shellcheck disable=SC2016 # expanded by the inner bash
	flock "$DVM_LOCK" bash -c "$(declare -f dvm_free_port)"'
		port=$(dvm_free_port) || { echo "no free port" >&2; exit 1; }
		echo "$port" >"$1/qemu.port.tmp" && mv "$1/qemu.port.tmp" "$1/qemu.port"
		echo $$ >"$1/qemu.pid"
		run=$1
		shift
		exec "$@" -serial "file:$run/console-'"$n"'.log" \
			-nic "user,restrict=on,hostfwd=tcp:127.0.0.1:$port-:22"' \
		_ "$DVM_RUN" "$qemu" "${DVM_QEMU[@]}" \
		</dev/null >/dev/null 2>"$DVM_RUN/qemu-$n.err" &
	DVM_FLOCK=$!
	DVM_PID=pending
	DVM_KERNEL=$kernel
}

# True while the guest's QEMU (or the flock waiting to start it) runs.
dvm_running() { [[ -n ${DVM_FLOCK:-} ]] && kill -0 "$DVM_FLOCK" 2>/dev/null; }

# Waits for QEMU to hold the lock and know its port.
dvm_wait_started() {
	while [[ ! -s $DVM_RUN/qemu.port || ! -s $DVM_RUN/qemu.pid ]]; do
		dvm_running || { dvm_failed_start "QEMU did not start"; return 1; }
		sleep 0.5
	done
	DVM_PORT=$(cat "$DVM_RUN/qemu.port")
	DVM_PID=$(cat "$DVM_RUN/qemu.pid")
}

# The last console lines and QEMU's complaints, on stderr.
dvm_failed_start() {
	vm_log "error: $1; last console lines:"
	tail -n 30 "$DVM_CONSOLE" 2>/dev/null | sed 's/^/  | /' >&2
	sed 's/^/  qemu: /' "$DVM_RUN/qemu-$DVM_BOOTS.err" >&2 2>/dev/null || :
}

DVM_SSH_OPTS=(-o BatchMode=yes -o StrictHostKeyChecking=yes -o LogLevel=ERROR
	-o HostKeyAlias="$DVM_ALIAS" -o GlobalKnownHostsFile=/dev/null
	-o ConnectTimeout=10 -o ServerAliveInterval=10 -o ServerAliveCountMax=6)

# dvm_ssh [-u USER] CMD...: runs CMD in the guest (as root by default),
# through USER's own key: a real login.  Standard input is passed on.
dvm_ssh() {
	local user=root
	if [[ ${1:-} == -u ]]; then
		user=$2
		shift 2
	fi
	ssh "${DVM_SSH_OPTS[@]}" -o UserKnownHostsFile="$DVM_IMAGE/known_hosts" \
		-i "$DVM_IMAGE/id_$user" -p "$DVM_PORT" "$user@127.0.0.1" "$@"
}

# dvm_scp SRC... DST: copies host files to DST in the guest, as root.
dvm_scp() {
	local dst=${*: -1}
	scp -q "${DVM_SSH_OPTS[@]}" -o UserKnownHostsFile="$DVM_IMAGE/known_hosts" \
		-i "$DVM_IMAGE/id_root" -P "$DVM_PORT" "${@:1:$#-1}" "root@127.0.0.1:$dst"
}

# dvm_wait_ssh: until root's ssh login works; DVM_BOOT_SECONDS is the time
# from power-on (QEMU holding the lock) to that login, DVM_LOCK_SECONDS the
# wait for the lock before.
dvm_wait_ssh() {
	local limit=${PMEMPLAN_VM_BOOT_TIMEOUT:-300} t0=$EPOCHREALTIME
	dvm_wait_started || return 1
	# shellcheck disable=SC2034 # the caller's
	DVM_LOCK_SECONDS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
	t0=$EPOCHREALTIME
	until dvm_ssh true </dev/null 2>/dev/null; do
		dvm_running || { dvm_failed_start "the guest stopped before ssh worked"; return 1; }
		if (($(dvm_seconds "$t0") > limit)); then
			dvm_failed_start "no ssh login within $limit s"
			return 1
		fi
		sleep 1
	done
	# shellcheck disable=SC2034 # the caller's
	DVM_BOOT_SECONDS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
}

# Whole seconds since $EPOCHREALTIME value $1.
dvm_seconds() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a }'; }

# dvm_boot KERNEL: power on and wait for ssh.  Now and then a guest
# dies in its first seconds of "Oops: int3" in code the kernel is patching
# (text_poke_bp(): QEMU's TCG does not always see one vCPU's change of code
# another runs); that boot, and only that, is tried once more.
dvm_boot() {
	dvm_start "$1"
	dvm_wait_ssh && return 0
	dvm_running || ! grep -q '^\[ *[0-9.]*\] Oops: int3: ' "$DVM_CONSOLE" 2>/dev/null && return 1
	vm_log "note: the kernel died of TCG's int3 race while booting ($DVM_CONSOLE); booting again"
	dvm_wait_exit 30 || dvm_powercut
	dvm_start "$1"
	dvm_wait_ssh
}

# Waits up to $1 seconds for QEMU to end; false if it still runs.
dvm_wait_exit() {
	local limit=$1 t0=$SECONDS
	while dvm_running; do
		((SECONDS - t0 < limit)) || return 1
		sleep 0.5
	done
	wait "$DVM_FLOCK" 2>/dev/null || :
	DVM_PID='' DVM_FLOCK=''
}

# dvm_poweroff: a clean shutdown (systemctl poweroff), QEMU gone within
# 120 s; false (and QEMU killed) otherwise.
dvm_poweroff() {
	dvm_ssh systemctl poweroff </dev/null >/dev/null 2>&1 || :
	dvm_wait_exit 120 && return 0
	vm_log "error: the guest did not power off within 120 s"
	dvm_powercut
	return 1
}

# dvm_powercut: SIGKILL of QEMU, no shutdown: what the guest had not
# written to its disk is lost; the NVDIMM files keep what it stored.
dvm_powercut() {
	[[ -s $DVM_RUN/qemu.pid ]] && DVM_PID=$(cat "$DVM_RUN/qemu.pid")
	if [[ $DVM_PID =~ ^[0-9]+$ ]]; then
		kill -KILL "$DVM_PID" 2>/dev/null || :
	else
		# still waiting for the lock: QEMU never ran
		kill -KILL "$DVM_FLOCK" 2>/dev/null || :
	fi
	dvm_wait_exit 30
}

# dvm_reboot [KERNEL]: clean poweroff, then the same disk and NVDIMMs again.
dvm_reboot() {
	dvm_poweroff || return 1
	dvm_boot "${1:-$DVM_KERNEL}"
}

# dvm_stop: the guest off, whatever its state (for an EXIT trap).
dvm_stop() {
	[[ -n ${DVM_FLOCK:-} ]] || return 0
	dvm_powercut
}

# ------------------------------------------------------------ the drivers
# What test-debian.sh and test-persist.sh share.

# dvm_driver_init NAME PATH-TO-DEB [KERNEL...]: sets deb (the package, an
# absolute path), kernels (default 6.1 6.12) and out (a fresh directory,
# removed at exit unless PMEMPLAN_VM_KEEP is set; $out/FAILED counts the
# failed checks); the guest is stopped at exit.
# shellcheck disable=SC2034 # deb, kernels: the drivers'
dvm_driver_init() {
	local name=$1
	shift
	[[ $# -ge 1 ]] || { echo "usage: ${0##*/} PATH-TO-DEB [KERNEL...]" >&2; exit 2; }
	deb=$(realpath "$1")
	shift
	[[ -f $deb && $deb == *.deb ]] || vm_die "no package $deb"
	kernels=("$@")
	((${#kernels[@]})) || kernels=(6.1 6.12)
	vm_need_pkgs jq
	out=$(mktemp -d "${TMPDIR:-/tmp}/pmemplan-$name.XXXXXX")
	if [[ -n ${PMEMPLAN_VM_KEEP:-} ]]; then
		echo "keeping $out" >&2
		trap 'dvm_stop' EXIT
	else
		trap 'dvm_stop; rm -rf "$out"' EXIT
	fi
	: >"$out/FAILED"
}

# The last lines of a file, and the start of a diff, indented under a check.
show_file() { tail -n "${2:-30}" "$1" | sed 's/^/    | /' || :; }
show_diff() { diff "$1" "$2" | head -n 20 | sed 's/^/    /' || :; }

# dvm_install_deb KERNEL LOG: the package installed in the guest exactly
# as a user types it (offline: its dependencies are in the image); one
# check; returns 1 when it failed.  apt's warning about its CLI is not ours.
# shellcheck disable=SC2015 # ok (an echo) cannot fail
dvm_install_deb() {
	dvm_scp "$deb" /tmp/ || { fail "$1: cannot copy the package to the guest"; return 1; }
	dvm_ssh "cd /tmp && apt install -y ./${deb##*/}" >"$2" 2>&1 &&
		ok "apt install ./${deb##*/} (offline)" ||
		{ fail "$1: apt install ./${deb##*/} failed"; show_file "$2" 20; return 1; }
}

# dvm_driver_boot KERNEL: a fresh guest in $dir (a 4 GiB NVDIMM with a
# label area) booted to its ssh login; a failed check and 1 when it gave
# none.
dvm_driver_boot() {
	echo "== $1"
	dvm_init "$dir"
	dvm_nvdimm 4098M,label
	if ! dvm_boot "$1"; then
		fail "$1: the guest gave no ssh login"
		dvm_stop
		return 1
	fi
	echo "== $1: ssh after $DVM_BOOT_SECONDS s (lock: $DVM_LOCK_SECONDS s)"
}
