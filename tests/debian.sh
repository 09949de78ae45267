#!/usr/bin/env bash
# The Debian stage of the test command (tests/run-all.sh), on its own:
#   1. dpkg-buildpackage -us -uc -b on a fresh clone of HEAD (the unit
#      tests run inside it, cmocka required): pmemplan_*.deb
#   2. lintian on it: any error fails; warnings are printed
#   3. a user's build of the same clone, ./configure --prefix=/usr && make
#      install DESTDIR=...: the same files as the package (less the two
#      Debian adds: copyright and changelog; man pages compressed)
#   4. the real Debian system (tests/vm/mkimage.sh, cached) and
#      tests/vm/test-debian.sh with the package, on each kernel
#   5. tests/vm/test-persist.sh: boot persistence with the package (apply
#      --write-config, a reboot, --remove-config, a reboot), on each kernel
#   6. tests/vm/test-ansible.sh: the Ansible collection (contrib/ansible)
#      with the package, one playbook run on a 6.12 and a 6.1 guest at once
#      (always both kernels)
#   7. tests/vm/test-powercut.sh: power cuts during apply (at each step that
#      changes the media of a 4 GiB plan, at random moments of a 40 GiB one)
#      and the boot after each, on 6.12 (PMEMPLAN_POWERCUT_KERNELS)
#   8. tests/vm/test-debian-cxl.sh: CXL ram with udev and systemd, the
#      plain apply under Debian's auto-online policy and the movable one
#      (6.12 only: 6.1 has no ram regions)
#
#   tests/debian.sh [KERNEL...]        (default 6.1 6.12; needs root)
#
# PMEMPLAN_DEB_KEEP=1 keeps the build directory (printed).  Uncommitted
# changes are not in a fresh clone: commit first.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=build.sh
. "$(dirname "$0")/build.sh"

# What this stage needs beyond tests/build.sh's PP_PACKAGES (also for the
# image and the guest: tests/vm/mkimage.sh, debian-vm.sh install theirs).
# systemd and udev: their pkg-config files say where the unit and the udev
# rule go (debian/control's Build-Depends).
PP_DEB_PACKAGES=(git dpkg-dev debhelper fakeroot lintian bash-completion jq
	systemd udev
	mmdebstrap qemu-utils qemu-system-x86 openssh-client e2fsprogs iproute2)
pp_install "${PP_PACKAGES[@]}" "${PP_DEB_PACKAGES[@]}"

work=$(mktemp -d "${TMPDIR:-/tmp}/pmemplan-deb.XXXXXX")
if [ -n "${PMEMPLAN_DEB_KEEP:-}" ]; then
	echo "keeping $work" >&2
else
	trap 'rm -rf "$work"' EXIT
fi

# A fresh clone of HEAD, as a user's checkout.
clone() {
	git clone -q --no-checkout "$PP_TOP" "$1"
	git -C "$1" checkout -q --detach "$(git -C "$PP_TOP" rev-parse HEAD)"
}
[ -z "$(git -C "$PP_TOP" status --porcelain --untracked-files=no)" ] ||
	echo "tests/debian.sh: warning: uncommitted changes are not in the package (it is built from HEAD)" >&2

t=$SECONDS
clone "$work/pmemplan"
(cd "$work/pmemplan" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
	{ tail -n 40 "$work/build.log"; echo "dpkg-buildpackage failed" >&2; exit 1; }
debs=("$work"/pmemplan_*.deb)
if [ "${#debs[@]}" != 1 ] || [ ! -f "${debs[0]}" ]; then
	echo "no single pmemplan_*.deb: ${debs[*]}" >&2
	exit 1
fi
deb=${debs[0]}
if ! grep -q '^# PASS: ' "$work/build.log" || grep -q '^# SKIP: *[1-9]' "$work/build.log"; then
	echo "the package build did not run every test:" >&2
	grep '^# ' "$work/build.log" >&2
	exit 1
fi
echo "built ${deb##*/} ($(stat -c %s "$deb") bytes, $(grep '^# PASS: ' "$work/build.log" | tr -s ' ') tests) in $((SECONDS - t)) s"

# lintian prints nothing for a clean package; root is warned about
lint=$(lintian --pedantic -I "$deb" "${deb%.deb}".changes 2>&1 |
	grep -v 'running with root privileges is not recommended') || :
if [ -z "$lint" ]; then
	echo "lintian: no tags (--pedantic -I)"
else
	echo "lintian:"
	printf '%s\n' "$lint"
	! grep -q '^E: ' <<<"$lint" || { echo "lintian reports errors" >&2; exit 1; }
fi

# A user's make install against the package's contents.
clone "$work/user"
(cd "$work/user" && autoreconf -fi && ./configure -q --prefix=/usr &&
	make -s -j2 && make -s install DESTDIR="$work/inst") >"$work/user.log" 2>&1 ||
	{ tail -n 30 "$work/user.log"; echo "make install failed" >&2; exit 1; }
(cd "$work/inst" && find . ! -type d | sed 's/^\.//') | sort >"$work/make-install.list"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' |
	grep -vxE '/usr/share/doc/pmemplan/(copyright|changelog\.gz)' |
	sed -E 's|^(/usr/share/man/.*)\.gz$|\1|' | sort >"$work/deb.list"
if cmp -s "$work/make-install.list" "$work/deb.list"; then
	echo "make install = the package: $(paste -sd ' ' "$work/deb.list")"
else
	echo "make install and the package differ (< make install, > package):" >&2
	diff "$work/make-install.list" "$work/deb.list" >&2 || :
	exit 1
fi

# Every driver, whatever the one before says: one verdict line each.  The
# power cuts take the longest (about a minute a cut, 13 cuts): on 6.12
# only, whatever the kernels given, unless PMEMPLAN_POWERCUT_KERNELS says.
rc=0
"$PP_TOP/tests/vm/test-debian.sh" "$deb" "$@" || rc=1
"$PP_TOP/tests/vm/test-persist.sh" "$deb" "$@" || rc=1
"$PP_TOP/tests/vm/test-ansible.sh" "$deb" || rc=1
read -ra cut_kernels <<<"${PMEMPLAN_POWERCUT_KERNELS:-6.12}"
"$PP_TOP/tests/vm/test-powercut.sh" "$deb" "${cut_kernels[@]}" || rc=1
"$PP_TOP/tests/vm/test-debian-cxl.sh" "$deb" || rc=1
exit $rc
