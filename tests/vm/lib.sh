# shellcheck shell=bash
# Helpers shared by the tests/vm scripts.  Sourced, never executed.
#
# Environment:
#   PMEMPLAN_VM_CACHE   build-cache directory (default: tests/vm/.cache next to
#                       this file); kernels and the private apt state live here.

# The directory holding these scripts, so they work from any cwd.
# shellcheck disable=SC2034 # VM_* are used by the scripts that source this
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_CACHE=${PMEMPLAN_VM_CACHE:-$VM_DIR/.cache}
# shellcheck source=../apt.sh
. "$VM_DIR/../apt.sh"

# Kernels are tied to Debian 12; the suite names follow from it.
VM_SUITE=bookworm

# Messages go to stderr: stdout of every script is its result.
vm_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
vm_die() { vm_log "error: $*"; exit 1; }

# True when every named Debian package is installed.
vm_have_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || return 1
	done
}

# Installs missing packages quietly (tests/apt.sh: waits for the dpkg lock,
# "apt-get update" when the lists are empty or stale).
vm_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		vm_have_pkgs "$p" || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	vm_log "installing ${missing[*]}"
	pp_apt_install "${missing[@]}" || vm_die "cannot install ${missing[*]}"
}

# The archive URI this machine's apt uses for the suite $1, read through
# apt's own parser of /etc/apt/sources.list{,.d/*} so that both the one-line
# and the deb822 formats count.  No host name is ever written down.
vm_archive_uri() {
	# shellcheck disable=SC2016 # $(...) is apt's field syntax, not the shell's
	local fmt='$(REPO_URI) $(RELEASE)'
	apt-get indextargets --no-release-info --format "$fmt" 2>/dev/null |
		awk -v suite="$1" '$2 == suite && !uri { uri = $1; sub("/$", "", uri) }
			END { if (!uri) exit 1; print uri }'
}

# Size with binary suffix (K, M, G, T; optional B/iB) -> bytes.
vm_bytes() {
	local s=${1^^} n mult=1
	s=${s%B}
	s=${s%I}
	n=${s%[KMGT]}
	[[ $n =~ ^[0-9]+$ ]] || vm_die "bad size '$1' (want e.g. 512M, 4098M, 66G)"
	case $s in
	*K) mult=$((1 << 10)) ;;
	*M) mult=$((1 << 20)) ;;
	*G) mult=$((1 << 30)) ;;
	*T) mult=$((1 << 40)) ;;
	esac
	echo $((n * mult))
}

# Serialises concurrent runs that fill the same cache entry (parallel CI jobs).
# Runs "$@" while holding lock file $1.
vm_locked() {
	local lock=$1
	shift
	mkdir -p "$(dirname "$lock")"
	(
		flock 9
		"$@"
	) 9>"$lock"
}

# ------------------------------------------------------------ kernels, arches
# A kernel is named VERSION (Debian's amd64 kernel: 6.1, 6.12) or
# FLAVOUR/VERSION, FLAVOUR being a Debian architecture with an optional
# page-size variant: arm64/6.12, arm64-16k/6.12, ppc64el-64k/6.12.  What
# differs per architecture (QEMU, firmware, console, userland) is described
# in arch/DEBIAN_ARCH.sh.
VM_VERSIONS="6.1 6.12"

# vm_kernel_parse NAME: sets VM_KARCH (Debian architecture), VM_KVARIANT
# ("" or "-16k"), VM_KVERSION (6.1, 6.12) and VM_KDIR_NAME (its cache
# directory: kernel-6.1 for amd64 as before, else kernel-arm64-16k-6.12);
# fails on a name it does not know.
vm_kernel_parse() {
	local name=$1 flavour=amd64
	VM_KVERSION=${name##*/}
	[[ $name != */* ]] || flavour=${name%/*}
	VM_KARCH=${flavour%%-*}
	VM_KVARIANT=${flavour#"$VM_KARCH"}
	[[ " $VM_VERSIONS " == *" $VM_KVERSION "* && -f $VM_DIR/arch/$VM_KARCH.sh &&
		$VM_KVARIANT =~ ^(-[0-9]+k)?$ ]] || return 1
	# amd64/6.12 is 6.12 (Debian's amd64 kernel has no page-size variants)
	if [[ $VM_KARCH == amd64 ]]; then
		[[ -z $VM_KVARIANT ]] || return 1
		VM_KDIR_NAME=kernel-$VM_KVERSION
	else
		VM_KDIR_NAME=kernel-$flavour-$VM_KVERSION
	fi
}

# vm_arch_load DEBIAN_ARCH: the ARCH_* variables of arch/DEBIAN_ARCH.sh.
vm_arch_load() {
	[[ -f $VM_DIR/arch/$1.sh ]] || vm_die "no architecture $1 (tests/vm/arch/)"
	# shellcheck source=arch/arm64.sh
	. "$VM_DIR/arch/$1.sh"
}

# vm_kernel_has KERNEL FEATURE: true when the guests of KERNEL offer
# FEATURE: one of its architecture's ARCH_FEATURES (e820, bigblocks, pvh,
# addr, labelled: a fresh NVDIMM already has a label index), "mom" (kmem with memmap_on_memory: Linux 6.8 and later) or
# "devdax" (CONFIG_ZONE_DEVICE in the kernel's own config: Debian's arm64
# 6.1 has it off, so no dax_pmem, no devdax namespace, no kmem).
vm_kernel_has() {
	local ARCH_FEATURES kdir
	vm_kernel_parse "$1" || vm_die "unknown kernel '$1'"
	case $2 in
	mom) [[ $VM_KVERSION != 6.1 ]] ;;
	devdax)
		kdir=$("$VM_DIR/fetch-kernel.sh" "$1") || vm_die "cannot fetch kernel $1"
		grep -qx 'CONFIG_ZONE_DEVICE=y' "$kdir"/boot/config-*
		;;
	*)
		vm_arch_load "$VM_KARCH"
		[[ " $ARCH_FEATURES " == *" $2 "* ]]
		;;
	esac
}

# vm_kernel_modules KERNEL: the drivers its guests load by default.
vm_kernel_modules() {
	local ARCH_MODULES
	vm_kernel_parse "$1" || vm_die "unknown kernel '$1'"
	vm_arch_load "$VM_KARCH"
	echo "$ARCH_MODULES"
}

# vm_mom_append KERNEL: the kernel parameter that enables memmap_on_memory
# for kmem on KERNEL's architecture (ARCH_MOM_PARAM, default 1; ppc64el:
# force).
vm_mom_append() {
	local ARCH_MOM_PARAM=1
	vm_kernel_parse "$1" || vm_die "unknown kernel '$1'"
	vm_arch_load "$VM_KARCH"
	echo "memory_hotplug.memmap_on_memory=$ARCH_MOM_PARAM"
}

# vm_ktag KERNEL: the name as one path component (arm64/6.12 -> arm64-6.12).
vm_ktag() { echo "${1//\//-}"; }

# ------------------------------------------------------------ foreign apt
# Debian's packages of another architecture are downloaded through a
# private apt state, $VM_CACHE/apt-DEBIAN_ARCH: the machine's own sources
# (copied from /etc/apt at setup: bookworm and its updates) plus
# bookworm-backports from the same archive URI, with
# APT::Architecture(s) set to that architecture, so that "apt-get download
# PKG" and "apt-cache depends PKG" answer for it.  The system's apt state
# (its lists, dpkg's architectures) is left alone.
VM_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# vm_apt_state_opts DIR: sets APT_OPTS for apt-get and apt-cache calls on
# the private apt state in DIR (fetch-kernel.sh's bookworm-backports,
# the foreign architectures below, private-apt.sh).  Only the sources,
# lists, cache and dpkg status are redirected: apt.conf.d still applies,
# so a proxy set up for the machine keeps working.
vm_apt_state_opts() {
	APT_OPTS=(
		-o "Dir::Etc::SourceList=$1/sources.list"
		-o "Dir::Etc::SourceParts=$1/sources.list.d"
		-o "Dir::Etc::Preferences=$1/preferences"
		-o "Dir::Etc::PreferencesParts=$1/preferences.d"
		-o "Dir::State::Lists=$1/lists"
		-o "Dir::State::status=$1/status"
		-o "Dir::Cache=$1/cache"
		# no _apt sandbox: the cache may sit where that user cannot write
		-o APT::Sandbox::User=root
	)
}

# vm_backports_sources URI: the deb822 stanza of $VM_SUITE-backports at the
# archive URI this machine's apt uses (signed by Debian's archive keyring).
vm_backports_sources() {
	cat <<-EOF
		Types: deb
		URIs: $1
		Suites: $VM_SUITE-backports
		Components: main
		Signed-By: $VM_KEYRING
	EOF
}

# vm_foreign_apt_opts DEBIAN_ARCH: sets APT_OPTS for that state.
vm_foreign_apt_opts() {
	vm_apt_state_opts "$VM_CACHE/apt-$1"
	APT_OPTS+=(-o "APT::Architecture=$1" -o "APT::Architectures=$1")
}

# vm_foreign_apt_setup DEBIAN_ARCH: writes the sources and refreshes the
# lists, at most once a day (the cache outlives many runs).
# shellcheck disable=SC2317 # run through vm_locked
vm_foreign_apt_setup_locked() {
	local arch=$1 d=$VM_CACHE/apt-$1 uri f
	vm_foreign_apt_opts "$arch"
	if [[ -n $(find "$d/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null) ]]; then
		return 0
	fi
	uri=$(vm_archive_uri "$VM_SUITE") ||
		vm_die "no '$VM_SUITE' suite in this machine's apt sources; cannot derive the archive URI"
	rm -rf "$d/sources.list.d"
	mkdir -p "$d/sources.list.d" "$d/preferences.d" "$d/lists/partial" "$d/cache/archives/partial"
	: >"$d/status"
	cp /etc/apt/sources.list "$d/sources.list" 2>/dev/null || : >"$d/sources.list"
	for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[[ ! -f $f ]] || cp "$f" "$d/sources.list.d/"
	done
	vm_backports_sources "$uri" >"$d/sources.list.d/pmemplan-vm-backports.sources"
	vm_need_pkgs debian-archive-keyring
	pp_apt_get "${APT_OPTS[@]}" update -qq >/dev/null ||
		vm_die "apt-get update of the $arch package lists failed"
}
vm_foreign_apt_setup() {
	vm_locked "$VM_CACHE/.lock-apt-$1" vm_foreign_apt_setup_locked "$1"
	vm_foreign_apt_opts "$1"
}

# vm_foreign_download DEBIAN_ARCH DIR PKG...: the .debs of PKG... (from
# the newest suite that has them, as apt picks) into DIR.
vm_foreign_download() {
	local arch=$1 dir=$2
	shift 2
	vm_foreign_apt_setup "$arch"
	(cd "$dir" && pp_apt_get "${APT_OPTS[@]}" download -qq "$@" >/dev/null) ||
		vm_die "apt-get download $* ($arch) failed"
}

# vm_foreign_libdeps PKG...: PKG... and the library packages (lib*) they
# depend on (Depends, Pre-Depends), recursively, as apt resolves them for
# the architecture of APT_OPTS: what the programs need to run.  Other
# dependencies (perl, dpkg, init-system-helpers) are for the maintainer
# scripts and the tools' extras, not for the guest.
vm_foreign_libdeps() {
	local -A seen=()
	local -a next=("$@") cur
	local p
	while ((${#next[@]})); do
		cur=()
		for p in "${next[@]}"; do
			[[ -z ${seen[$p]:-} ]] || continue
			seen[$p]=1
			cur+=("$p")
		done
		((${#cur[@]})) || break
		mapfile -t next < <(apt-cache "${APT_OPTS[@]}" depends --important "${cur[@]}" |
			awk '$1 ~ /Depends:$/ && $2 ~ /^lib/ { print $2 }' | sort -u)
	done
	printf '%s\n' "${!seen[@]}" | sort
}

# vm_userland DEBIAN_ARCH: prints a directory holding the guest programs
# of that architecture (ARCH_GUEST_PKGS and what they depend on, unpacked
# with dpkg -x), filled once and cached as $VM_CACHE/guest-ARCH.
# shellcheck disable=SC2317 # run through vm_locked
vm_userland_locked() {
	local arch=$1 dest=$VM_CACHE/guest-$1 tmp deb
	local -a pkgs
	vm_arch_load "$arch"
	# refilled when arch/ARCH.sh asks for other packages
	if [[ ! -e $dest/packages || $(cat "$dest/wanted" 2>/dev/null) != "${ARCH_GUEST_PKGS[*]}" ]]; then
		vm_foreign_apt_setup "$arch"
		mapfile -t pkgs < <(vm_foreign_libdeps "${ARCH_GUEST_PKGS[@]}")
		((${#pkgs[@]})) || vm_die "cannot resolve the $arch guest packages ${ARCH_GUEST_PKGS[*]}"
		tmp=$dest.tmp
		rm -rf "$tmp"
		mkdir -p "$tmp/debs" "$tmp/root"
		vm_log "downloading the $arch guest userland (${#pkgs[@]} packages)"
		vm_foreign_download "$arch" "$tmp/debs" "${pkgs[@]}"
		for deb in "$tmp/debs"/*.deb; do
			dpkg -x "$deb" "$tmp/root"
			dpkg-deb -f "$deb" Package Version | paste -sd ' ' >>"$tmp/packages"
		done
		echo "${ARCH_GUEST_PKGS[*]}" >"$tmp/wanted"
		rm -rf "$tmp/debs" "$dest"
		mv "$tmp" "$dest"
	fi
	printf '%s\n' "$dest"
}
vm_userland() { vm_locked "$VM_CACHE/.lock-guest-$1" vm_userland_locked "$1"; }

# ------------------------------------------------------------ test drivers
# What test-show.sh, test-plan.sh, test-nonroot.sh and test-apply.sh share:
# their arguments, the output directory, booting a scenario, the verdict of
# a check and the bound a layout can reach, read from the guest's iomem.

# vm_driver_init "$@" (PMEMPLAN_BINARY [KERNEL...]): sets bin (the real
# executable), kernels (default 6.1 6.12), out (a fresh directory, removed
# at exit unless PMEMPLAN_VM_KEEP is set) and here (this directory).
# shellcheck disable=SC2034 # bin, kernels, here: used by the drivers
vm_driver_init() {
	local name=${0##*/}
	bin=$(realpath "${1:?usage: $name PMEMPLAN_BINARY [KERNEL...]}")
	shift
	kernels=("$@")
	((${#kernels[@]})) || kernels=(6.1 6.12)
	local k
	for k in "${kernels[@]}"; do
		vm_kernel_parse "$k" || vm_die "unknown kernel '$k' (6.1, 6.12, arm64/6.12, ...: fetch-kernel.sh)"
	done
	command -v jq >/dev/null || vm_die "needs jq"
	here=$VM_DIR
	out=$(mktemp -d)
	if [ -n "${PMEMPLAN_VM_KEEP:-}" ]; then
		echo "keeping $out" >&2
	else
		trap 'rm -rf "$out"' EXIT
	fi
	: >"$out/FAILED"
}

# PMEMPLAN_VM_ONLY="mixed mom" runs only those scenarios.
# vm_big_ram RUNDIR MIB: the QEMU arguments of guest RAM too large to be
# anonymous memory here (QEMU's mmap of 64 GiB is refused on a 24 GiB
# host; a sparse shared file is not), in VM_RAM_ARGS, and the machine
# option naming it in VM_RAM_MACHINE (",memory-backend=r0").
vm_big_ram() {
	truncate -s "$2M" "$1/ram.img"
	VM_RAM_ARGS=(-object "memory-backend-file,id=r0,size=$2M,mem-path=$1/ram.img,share=on")
	VM_RAM_MACHINE=,memory-backend=r0
}

# vm_cxl_qemu RUNDIR GRANULARITY WINDOW SPEC...: the QEMU of
# bookworm-backports (10.0: 7.2 has no volatile-memdev; fetch-qemu.sh) in
# VM_CXL_QEMU and, in VM_CXL_ARGS, its firmware (-L) and a CXL topology
# for SPEC (ram=SIZE or pmem=SIZE, one type-3 device each): one pxb-cxl
# host bridge, a root port per device and one more left empty (QEMU 7.2
# dropped writes to the window with a single port; it costs nothing on
# 10.0), one fixed memory window targeting the bridge (WINDOW bytes, or
# the devices' sum, at least 4 GiB) so that n devices can make an n-way
# region.  Volatile capacity is anonymous RAM; persistent capacity a
# sparse file in RUNDIR with a label storage area (cxl_pmem needs one).
# The machine must be q35,cxl=on.
vm_cxl_qemu() {
	local run=$1 gran=$2 window=$3 i=0 spec kind bytes sum=0 win qdir
	shift 3
	qdir=$("$VM_DIR/fetch-qemu.sh")
	VM_CXL_QEMU=$qdir/usr/bin/qemu-system-x86_64
	# shellcheck disable=SC2054 # the commas are QEMU's
	VM_CXL_ARGS=(-L "$qdir/usr/share/qemu" -L "$qdir/usr/share/seabios"
		-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1)
	for spec; do
		kind=${spec%%=*}
		bytes=$(vm_bytes "${spec#*=}")
		((bytes % (256 << 20) == 0)) || vm_die "--cxl $spec: not a multiple of 256M"
		sum=$((sum + bytes))
		VM_CXL_ARGS+=(-device "cxl-rp,port=$i,bus=cxl.1,id=rp$i,chassis=0,slot=$((i + 2))")
		case $kind in
		ram)
			VM_CXL_ARGS+=(-object "memory-backend-ram,id=cxlm$i,share=on,size=$bytes"
				-device "cxl-type3,bus=rp$i,volatile-memdev=cxlm$i,id=cxl-mem$i")
			;;
		pmem)
			truncate -s "$bytes" "$run/cxl$i.img"
			truncate -s 256M "$run/cxl$i-lsa.img"
			VM_CXL_ARGS+=(-object "memory-backend-file,id=cxlm$i,share=on,mem-path=$run/cxl$i.img,size=$bytes"
				-object "memory-backend-file,id=cxll$i,share=on,mem-path=$run/cxl$i-lsa.img,size=256M"
				-device "cxl-type3,bus=rp$i,persistent-memdev=cxlm$i,lsa=cxll$i,id=cxl-pmem$i")
			;;
		*) vm_die "--cxl $spec: want ram=SIZE or pmem=SIZE" ;;
		esac
		i=$((i + 1))
	done
	VM_CXL_ARGS+=(-device "cxl-rp,port=$i,bus=cxl.1,id=rp$i,chassis=0,slot=$((i + 2))")
	win=$sum
	((win >= 4 << 30)) || win=$((4 << 30))
	[[ -z $window ]] || win=$(vm_bytes "$window")
	((win % (256 << 20) == 0)) || vm_die "--cxl-window $window: not a multiple of 256M"
	VM_CXL_ARGS+=(-M "cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=$((win >> 20))M,cxl-fmw.0.interleave-granularity=$gran")
}

want() { [ -z "${PMEMPLAN_VM_ONLY:-}" ] || [[ " $PMEMPLAN_VM_ONLY " == *" $1 "* ]]; }

# vm_boot DIR run-vm.sh options...: boots a guest with pmemplan and
# guest/common.sh installed; its console lands in DIR/console, split into
# one file per "=== NAME" section.  Returns the guest's exit status.
# With PMEMPLAN_VM_LOCK set (a file), the boot holds flock on it, so that
# guests of several jobs on one machine run one at a time.
vm_boot() {
	local dir=$1 rc=0
	local -a lock=()
	shift
	mkdir -p "$dir"
	[ -z "${PMEMPLAN_VM_LOCK:-}" ] || lock=(flock "$PMEMPLAN_VM_LOCK")
	"${lock[@]}" "$VM_DIR/run-vm.sh" --timeout 900 --file "$bin:/bin/pmemplan" \
		--file "$VM_DIR/guest/common.sh:/etc/pmemplan-vm/common.sh" \
		"$@" >"$dir/console" || rc=$?
	awk -v d="$dir" '/^=== / { f = d "/" $2; next } f { print > f }' "$dir/console"
	return $rc
}

# Every check prints one line, "  ok   WHAT" or "  FAIL WHAT", to $log when
# it is set (test-apply.sh runs scenarios in parallel, one log each), else
# to stdout.  A failure is counted against $current (the driver's
# "KERNEL SCENARIO"), in $out/FAILED: a file, so that a check run in a
# background job counts too.
vm_say() { if [ -n "${log:-}" ]; then echo "$*" >>"$log"; else echo "$*"; fi; }
ok() { vm_say "  ok   $*"; }
fail() {
	vm_say "  FAIL $*"
	echo "${current:-$*}" >>"$out/FAILED"
}

# True when a check of "KERNEL SCENARIO" $1 failed.
vm_failed() { grep -qxF "$1" "$out/FAILED"; }

# vm_finish WHAT: the verdict line of a driver ("VM WHAT tests passed on
# 6.1 6.12" or "... FAILED: <what failed>") and its exit status.
vm_finish() {
	if [ -s "$out/FAILED" ]; then
		echo "VM $1 tests FAILED: $(sort -u "$out/FAILED" | paste -sd ' ')"
		exit 1
	fi
	echo "VM $1 tests passed on ${kernels[*]}"
}

# vm_iomem_regions IOMEM BLOCKSIZE [REGIONS]: one line "start size bound
# kmem usable" per "Persistent Memory" line [r0, r1] of a guest's
# /proc/iomem, and per region of REGIONS (default: the file "regions" beside
# IOMEM, the guest's "regionN 0xSTART SIZE" lines of
# /sys/bus/nd/devices/regionN/{resource,size}) that no such line starts at
# (ppc64's papr_scm inserts none): the bound
# (whole blocks in [ALIGN(r0 + 2 MiB, B), ALIGN_DOWN(r1 + 1, B)) -- map=mem's
# info block, 8 KiB rounded to the 2 MiB compat alignment, is the least any
# layout spends before the data), the System RAM inside it, and what stays
# usable pmem (namespace lines of 16 MiB or more: fsdax/raw namespaces; a
# devdax namespace shows only its metadata, 2 MiB with map=mem).
vm_iomem_regions() {
	local b=$2 regions=${3:-${1%/*}/regions} line s e name n=0 i lo hi dev
	local -a rs=() re=() ram=() use=()
	if [ -f "$regions" ]; then
		while read -r dev s e; do
			[[ $s =~ ^0x[0-9a-f]+$ && $e =~ ^[0-9]+$ ]] || continue
			s=$((s)) e=$((s + e))
			grep -Eq "^ *0*$(printf '%x' "$s")-[0-9a-f]+ : Persistent Memory" "$1" && continue
			rs[n]=$s re[n]=$e ram[n]=0 use[n]=0
			n=$((n + 1))
		done <"$regions"
	fi
	while IFS= read -r line; do
		[[ $line =~ ^\ *([0-9a-f]+)-([0-9a-f]+)\ :\ (.*)$ ]] || continue
		s=$((16#${BASH_REMATCH[1]})) e=$((16#${BASH_REMATCH[2]} + 1))
		name=${BASH_REMATCH[3]}
		case $name in
		"Persistent Memory"*)
			rs[n]=$s re[n]=$e ram[n]=0 use[n]=0
			n=$((n + 1))
			;;
		"System RAM"* | namespace*)
			for ((i = 0; i < n; i++)); do
				((s >= rs[i] && e <= re[i])) || continue
				if [[ $name == "System RAM"* ]]; then
					ram[i]=$((ram[i] + e - s))
				elif ((e - s >= 16777216)); then
					use[i]=$((use[i] + e - s))
				fi
			done
			;;
		esac
	done <"$1"
	for ((i = 0; i < n; i++)); do
		lo=$(((rs[i] + 2097152 + b - 1) / b * b)) hi=$((re[i] / b * b))
		echo "${rs[i]} $((re[i] - rs[i])) $((hi > lo ? hi - lo : 0)) ${ram[i]} ${use[i]}"
	done
}

# vm_kmem_bound IOMEM BLOCKSIZE: the bound summed over every region.
vm_kmem_bound() {
	local r0 size bound kmem usable sum=0
	while read -r r0 size bound kmem usable; do
		sum=$((sum + bound))
	done < <(vm_iomem_regions "$1" "$2")
	echo "$sum"
}

# vm_guest_program KERNEL NAME: the program NAME built for KERNEL's
# architecture, to pass to run-vm.sh --file: the host's, or the one in
# the architecture's packages (arch/ARCH.sh: ARCH_GUEST_PKGS).
vm_guest_program() {
	local d root ARCH_USERLAND
	vm_kernel_parse "$1" || vm_die "unknown kernel '$1'"
	vm_arch_load "$VM_KARCH"
	if [ "$ARCH_USERLAND" = host ]; then
		command -v "$2" || vm_die "needs $2 on the host"
		return
	fi
	root=$(vm_userland "$VM_KARCH")/root
	for d in /bin /sbin /usr/bin /usr/sbin; do
		[ ! -f "$root$d/$2" ] || { echo "$root$d/$2"; return; }
	done
	vm_die "no $2 in the $VM_KARCH packages (tests/vm/arch/$VM_KARCH.sh)"
}

# The memory block size a guest wrote in section file $1 (hex), in bytes.
vm_block_size() { echo $((16#$(cat "$1"))); }
