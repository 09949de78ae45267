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

# Creates and binds a CXL ram region through the kernel's sysfs ABI
# (Documentation/ABI/testing/sysfs-bus-cxl; cxl-cli 76.1 cannot do ram):
# cxl_ram_region ROOT_DECODER GRANULARITY SIZE ENDPOINT_DECODER...
# (decoder0.0 256 1073741824 decoder2.0): the region's granularity, ways
# and size (the HPA), then each endpoint decoder's mode and dpa_size (the
# DPA) and its place in the targets, commit, and cxl_region's bind.  A
# region of the ram mode then becomes a dax region (dax_cxl), whose
# device kmem takes when loaded.  Prints the region's name.
cxl_ram_region() {
	_bus=/sys/bus/cxl/devices
	_root=$_bus/$1 _gran=$2 _size=$3
	shift 3
	_reg=$(cat "$_root/create_ram_region") || return 1
	echo "$_reg" >"$_root/create_ram_region" || return 1
	echo "$_gran" >"$_bus/$_reg/interleave_granularity" || return 1
	echo $# >"$_bus/$_reg/interleave_ways" || return 1
	echo "$_size" >"$_bus/$_reg/size" || return 1
	_i=0
	for _ed in "$@"; do
		echo ram >"$_bus/$_ed/mode" || return 1
		echo $((_size / $#)) >"$_bus/$_ed/dpa_size" || return 1
		echo "$_ed" >"$_bus/$_reg/target$_i" || return 1
		_i=$((_i + 1))
	done
	echo 1 >"$_bus/$_reg/commit" || return 1
	echo "$_reg" >/sys/bus/cxl/drivers/cxl_region/bind || return 1
	echo "$_reg"
}

# cxl_ram_region_all: a ram region over every memory expander's volatile
# capacity (n devices: an n-way region) in root decoder decoder0.0, one
# endpoint decoder per memdev in the order of the host bridge's ports
# (decoder names follow the endpoint ports' enumeration).  Prints the
# region's name; what failed on stderr.
cxl_ram_region_all() {
	_size=0 _eps=''
	for _m in /sys/bus/cxl/devices/mem*; do
		_size=$((_size + $(cat "$_m/ram/size")))
	done
	for _d in /sys/bus/cxl/devices/decoder*.0; do
		[ "$(cat "$_d/devtype")" = cxl_decoder_endpoint ] && _eps="$_eps ${_d##*/}"
	done
	# shellcheck disable=SC2086 # the list is words
	cxl_ram_region decoder0.0 256 "$_size" $_eps ||
		{ echo "creating the ram region ($_eps, $_size bytes) failed" >&2; return 1; }
}
