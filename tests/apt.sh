# shellcheck shell=bash
# apt-get as the test command runs it, for tests/build.sh and tests/vm/lib.sh
# (sourced, never executed).  A second apt or dpkg running on the machine
# (unattended-upgrades, another job) holds the dpkg lock: wait for it, up to
# PP_APT_LOCK_WAIT seconds (DPkg::Lock::Timeout, apt >= 1.9.11), instead of
# failing the whole run.  A call that fails anyway (a network error, a
# mirror mid-sync) is tried once more after a pause.

PP_APT_LOCK_WAIT=${PP_APT_LOCK_WAIT:-600}

# pp_apt_get ARGS...: apt-get ARGS, waiting for the lock, tried twice.
pp_apt_get() {
	local try
	for try in 1 2; do
		DEBIAN_FRONTEND=noninteractive apt-get \
			-o DPkg::Lock::Timeout="$PP_APT_LOCK_WAIT" "$@" && return 0
		((try == 2)) || { echo "apt-get failed; trying once more in 10 s" >&2; sleep 10; }
	done
	return 1
}

# pp_apt_install PKG...: install quietly; a fresh machine's package lists
# may be empty or stale, so "apt-get update" first when that fails.
pp_apt_install() {
	pp_apt_get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 && return 0
	pp_apt_get update -qq >/dev/null || return 1
	pp_apt_get install -y -qq --no-install-recommends "$@" >/dev/null
}
