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
want() { [ -z "${PMEMPLAN_VM_ONLY:-}" ] || [[ " $PMEMPLAN_VM_ONLY " == *" $1 "* ]]; }

# vm_boot DIR run-vm.sh options...: boots a guest with pmemplan and
# guest/common.sh installed; its console lands in DIR/console, split into
# one file per "=== NAME" section.  Returns the guest's exit status.
vm_boot() {
	local dir=$1 rc=0
	shift
	mkdir -p "$dir"
	"$VM_DIR/run-vm.sh" --timeout 900 --file "$bin:/bin/pmemplan" \
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

# vm_iomem_regions IOMEM BLOCKSIZE: one line "start size bound kmem usable"
# per "Persistent Memory" line [r0, r1] of a guest's /proc/iomem: the bound
# (whole blocks in [ALIGN(r0 + 2 MiB, B), ALIGN_DOWN(r1 + 1, B)) -- map=mem's
# info block, 8 KiB rounded to the 2 MiB compat alignment, is the least any
# layout spends before the data), the System RAM inside it, and what stays
# usable pmem (namespace lines of 16 MiB or more: fsdax/raw namespaces; a
# devdax namespace shows only its metadata, 2 MiB with map=mem).
vm_iomem_regions() {
	local b=$2 line s e name n=0 i lo hi
	local -a rs=() re=() ram=() use=()
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

# The memory block size a guest wrote in section file $1 (hex), in bytes.
vm_block_size() { echo $((16#$(cat "$1"))); }
