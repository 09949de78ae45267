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

# Installs missing packages quietly.  CI starts from a fresh machine whose
# package lists may be empty, so one `apt-get update` is tried on failure.
vm_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		vm_have_pkgs "$p" || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	vm_log "installing ${missing[*]}"
	local apt=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends)
	if ! "${apt[@]}" "${missing[@]}" >/dev/null 2>&1; then
		apt-get update -qq >/dev/null 2>&1 || vm_die "apt-get update failed"
		"${apt[@]}" "${missing[@]}" >/dev/null || vm_die "cannot install ${missing[*]}"
	fi
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
