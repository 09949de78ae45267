# shellcheck shell=sh
# Helpers for guest scripts (busybox ash):  . /lib/pmemplan-vm/helpers.sh

# Gives labelled NVDIMMs a label index.  QEMU's fresh label area is blank, and
# then the region shows one label-less raw namespace instead of labelled ones.
init_labels() {
	ndctl check-labels all >/dev/null 2>&1 && return 0
	ndctl disable-region all && ndctl init-labels -f all && ndctl enable-region all
}

# Turns devdax device $1 (e.g. dax0.0) into movable System RAM, as a careful
# user would.  With auto_online_blocks=online (Debian 6.12) daxctl refuses,
# and with -f the kernel onlines into ZONE_NORMAL; so switch the policy to
# offline, let daxctl online the blocks movable, then restore the policy.
to_system_ram() {
	_policy=/sys/devices/system/memory/auto_online_blocks
	_old=$(cat $_policy)
	[ "$_old" = offline ] || echo offline >$_policy
	daxctl reconfigure-device -m system-ram "$1"
	_rc=$?
	echo "$_old" >$_policy
	return $_rc
}
