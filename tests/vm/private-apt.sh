# shellcheck shell=bash
# A private apt state for packages of another architecture or suite than the
# machine's own: the kernels, userland and QEMU of tests/vm that this
# machine's apt sources do not offer.  Sourced after lib.sh, never executed.
#
# The private state's options are lib.sh's (vm_apt_state_opts); the
# foreign architectures are added for these calls only: the system's apt
# state and dpkg's architecture list are left alone.  The packages are only
# ever downloaded and unpacked with dpkg -x, never installed.  The keyring
# is lib.sh's VM_KEYRING (Debian's archive keyring also signs
# bookworm-backports).

# vm_papt_opts DIR ARCH...: sets the array APT_OPTS for apt-get and
# apt-cache calls on the private state in DIR, with the architectures ARCH
# (on top of the native one).
vm_papt_opts() {
	local d=$1 a
	shift
	vm_apt_state_opts "$d"
	for a in "$@"; do
		APT_OPTS+=(-o "APT::Architectures::=$a")
	done
}

# vm_papt_setup DIR ARCH...: writes the private sources (the suites
# $VM_SUITE and $VM_SUITE-backports of the archive URI this machine's apt
# uses, for the native architecture and every ARCH), refreshes the lists
# and sets APT_OPTS.  Backports keep apt's default NotAutomatic pin, so a
# package that is in both suites resolves to $VM_SUITE's version, as on a
# Debian system; "pkg/$VM_SUITE-backports" asks for the other.
vm_papt_setup() {
	local d=$1 uri
	shift
	vm_need_pkgs debian-archive-keyring
	uri=$(vm_archive_uri "$VM_SUITE") ||
		vm_die "no '$VM_SUITE' suite in this machine's apt sources; cannot derive the archive URI"
	mkdir -p "$d/sources.list.d" "$d/preferences.d" "$d/lists/partial" "$d/cache/archives/partial"
	: >"$d/sources.list"
	: >"$d/status"
	cat >"$d/sources.list.d/debian.sources" <<-EOF
		Types: deb
		URIs: $uri
		Suites: $VM_SUITE $VM_SUITE-backports
		Components: main
		Architectures: $(dpkg --print-architecture) $*
		Signed-By: $VM_KEYRING
	EOF
	vm_papt_opts "$d" "$@"
	pp_apt_get "${APT_OPTS[@]}" update -qq >/dev/null ||
		vm_die "apt-get update of $VM_SUITE{,-backports} ($*) from $uri failed"
}

# vm_papt_download DIR PKG...: downloads the packages (apt-get download
# syntax: name[:arch][/suite|=version]) into directory DIR.
vm_papt_download() {
	local dir=$1
	shift
	(cd "$dir" && pp_apt_get "${APT_OPTS[@]}" download -qq "$@" >/dev/null) ||
		vm_die "apt-get download $* failed"
}

# vm_papt_depends PKG REGEX: the first package PKG depends on whose name
# matches REGEX (how a meta package names the versioned one), without an
# architecture qualifier.  apt-cache writes a dependency it resolves only
# through another architecture (an arch: all package asked for as
# name:ppc64el) in angle brackets.
vm_papt_depends() {
	apt-cache "${APT_OPTS[@]}" depends "$1" 2>/dev/null |
		awk -v re="$2" '$1 ~ /^\|?Depends:$/ {
				gsub(/[<>]/, "", $2); sub(/:[a-z0-9]+$/, "", $2)
				if ($2 ~ re) { print $2; exit }
			}'
}
