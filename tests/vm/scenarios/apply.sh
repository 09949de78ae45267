# shellcheck shell=sh
# pmemplan apply in the guest; the host (test-apply.sh) judges the sections.
# Parameters, set in the environment by the host's --command:
#   PRE     labels: initialise the labels with ndctl first (the labelled
#           path); fresh: leave the device as QEMU made it; data: labels,
#           and a 512 MiB fsdax namespace with a pattern at 1 MiB (its
#           checksum is in sections data-before and data-after); full:
#           labels, and one fsdax namespace over the whole region with
#           that pattern (a label area with a valid index and labels of
#           its own)
#   ARGS    options of every pmemplan apply here ("--force", ...)
#   MODE    apply:  apply --json, then look at the result, apply again,
#                   --write-config
#           inject: a failure at every step N = 1, 2, ... until apply
#                   succeeds (then as apply); after each the state must be
#                   as before; stops at the first step where it is not
#           half:   apply, then undo part of it behind pmemplan's back
#                   (daxctl: back to devdax; then blocks offline) and
#                   apply again each time: it must finish the job
#           fail:   one apply failing at step $STEP, then the state
#           persist: (second boot) the namespaces, then daxctl
#                   reconfigure-device --check-config with the
#                   configuration the first boot wrote, then as apply
#           state:  the state only (second boot of the reboot check)
#   CHECKS  1: first non-root, the lock, --dry-run, --input (none may
#           change anything)
#   PATTERN 1: write a text (no signature libblkid knows) over the first
#           8 KiB of /dev/pmem0 first; "state" then includes their checksum,
#           so a rollback must also restore what reconfiguring zeroes
. /etc/pmemplan-vm/common.sh
ARGS=${ARGS:-}
MODE=${MODE:-apply}

# Everything apply may change and must restore on failure.
state() {
	ndctl list -RNDi 2>&1
	cat /proc/iomem
	cat /sys/bus/nd/devices/region*/align 2>/dev/null
	cat /sys/devices/system/memory/auto_online_blocks
	[ "${PATTERN:-0}" = 1 ] && [ -b /dev/pmem0 ] &&
		echo "pmem0 head $(head -c 8192 /dev/pmem0 | md5sum)"
}

# The same without idle (zero-size) namespaces, which a delete leaves
# behind until the region is next enabled.
state_active() {
	ndctl list -RND 2>&1
	cat /proc/iomem
	cat /sys/bus/nd/devices/region*/align 2>/dev/null
	cat /sys/devices/system/memory/auto_online_blocks
}

# The bytes of every label area.
labels() {
	for d in /sys/bus/nd/devices/nmem*; do
		[ -e "$d" ] || continue
		ndctl read-labels -o "/tmp/labels.${d##*/}" "${d##*/}" >/dev/null 2>&1
		cat "/tmp/labels.${d##*/}"
	done | md5sum
}

same() { # same FILE1 FILE2: "identical" or the diff
	if cmp -s "$1" "$2"; then echo identical; else echo "differs:"; diff "$1" "$2" | head -20; fi
}

[ "${PRE:-fresh}" = labels ] && init_labels >/dev/null 2>&1
if [ "${PRE:-fresh}" = data ] || [ "${PRE:-fresh}" = full ]; then
	init_labels >/dev/null 2>&1
	if [ "$PRE" = full ]; then
		ndctl create-namespace -r region0 -m fsdax >/dev/null
	else
		ndctl create-namespace -r region0 -m fsdax -s 512M >/dev/null
	fi
	i=0
	while [ $i -lt 20000 ]; do echo "user data $i"; i=$((i + 1)); done >/tmp/data
	dd if=/tmp/data of=/dev/pmem0 bs=1M seek=1 2>/dev/null
	section data-before
	dd if=/dev/pmem0 bs=1M skip=1 count=1 2>/dev/null | md5sum
fi
if [ "${PATTERN:-0}" = 1 ]; then
	i=0
	while [ $i -lt 512 ]; do echo "pmemplan test pattern"; i=$((i + 1)); done |
		head -c 8192 >/tmp/pattern
	dd if=/tmp/pattern of=/dev/pmem0 bs=4096 count=2 2>/dev/null
fi

if [ "$MODE" = state ]; then
	section state
	state
	exit 0
fi

if [ "$MODE" = persist ]; then
	section persist
	ndctl list -N | grep -E '"(dev|mode|name)"'
	grep -c 'System RAM (kmem)' /proc/iomem
	dax=$(daxctl list | sed -n 's/.*"chardev":"\(dax[0-9.]*\)".*/\1/p' | head -n 1)
	daxctl reconfigure-device --check-config "$dax" >/dev/null 2>/tmp/err
	echo "daxctl --check-config $dax: exit $?"
	cat /tmp/err
	ARGS=$(echo " $ARGS " | sed 's/ --force / /')
	MODE=persisted
fi

regions
section block-size
cat /sys/devices/system/memory/block_size_bytes
section meminfo-before
grep -E '^Mem(Total|Available):' /proc/meminfo
section policy-before
cat /sys/devices/system/memory/auto_online_blocks
section state-before
state | tee /tmp/s0
state_active >/tmp/a0
labels >/tmp/l0

if [ "$MODE" = persisted ]; then
	:
elif [ "$MODE" = fail ]; then
	section fail
	# shellcheck disable=SC2086 # ARGS is a list of options
	PMEMPLAN_TEST_FAIL_STEP=$STEP pmemplan apply $ARGS
	echo "exit $?"
	section state
	state
	exit 0
fi

if [ "$MODE" != persisted ]; then
section plan
# shellcheck disable=SC2086
pmemplan plan $ARGS 2>&1 | cat
fi

if [ "${CHECKS:-0}" = 1 ]; then
	section nonroot
	# shellcheck disable=SC2086
	runas nobody pmemplan apply $ARGS >/tmp/out 2>&1
	echo "exit $?"
	cat /tmp/out
	state >/tmp/s1
	same /tmp/s0 /tmp/s1
	section lock
	flock /run/pmemplan.lock sleep 4 &
	sleep 1
	# shellcheck disable=SC2086
	pmemplan apply $ARGS >/tmp/out 2>&1
	echo "exit $?"
	cat /tmp/out
	wait
	state >/tmp/s1
	same /tmp/s0 /tmp/s1
	section dry-run
	# shellcheck disable=SC2086
	pmemplan apply --dry-run $ARGS >/tmp/out 2>&1
	echo "exit $?"
	cat /tmp/out
	state >/tmp/s1
	same /tmp/s0 /tmp/s1
	section input
	pmemplan apply --input /dev/null >/tmp/out 2>&1
	echo "exit $?"
	cat /tmp/out
fi

if [ "$MODE" = inject ]; then
	section inject
	n=1
	while [ $n -le 150 ]; do
		# shellcheck disable=SC2086
		PMEMPLAN_TEST_FAIL_STEP=$n pmemplan apply $ARGS >/dev/null 2>/tmp/err
		rc=$?
		[ $rc = 0 ] && { echo "step $n: exit 0: no step $n, applied"; break; }
		state >/tmp/s1
		state_active >/tmp/a1
		labels >/tmp/l1
		if cmp -s /tmp/s0 /tmp/s1; then
			echo "step $n: exit $rc identical: $(cat /tmp/err)"
		elif cmp -s /tmp/a0 /tmp/a1; then
			echo "step $n: exit $rc identical-but-idle-seeds: $(cat /tmp/err)"
		elif cmp -s /tmp/l0 /tmp/l1 && grep -q 'until the next boot' /tmp/err; then
			echo "step $n: exit $rc labels-as-before-until-reboot: $(cat /tmp/err)"
			diff /tmp/s0 /tmp/s1 | head -40
			exit 0
		else
			echo "step $n: exit $rc DIFFERS: $(cat /tmp/err)"
			diff /tmp/s0 /tmp/s1 | head -40
			exit 0
		fi
		n=$((n + 1))
	done
elif [ "$MODE" = persisted ]; then
	:
elif [ "$MODE" = half ]; then
	# shellcheck disable=SC2086
	pmemplan apply $ARGS >/dev/null 2>&1 || echo "first apply failed"
	dax=$(daxctl list | sed -n 's/.*"chardev":"\(dax[0-9.]*\)".*/\1/p' | head -n 1)
	section half-devdax
	daxctl reconfigure-device -f -m devdax "$dax" >/dev/null 2>&1
	echo "daxctl devdax $dax: $? kmem lines $(grep -c 'System RAM (kmem)' /proc/iomem)"
	# shellcheck disable=SC2086
	pmemplan apply $ARGS 2>&1
	echo "exit $?"
	section half-offline
	daxctl offline-memory "$dax" >/dev/null 2>&1
	echo "daxctl offline-memory $dax: $? online $(daxctl list -d "$dax" | sed -n 's/.*"online_memblocks":\([0-9]*\).*/\1/p')"
	# shellcheck disable=SC2086
	pmemplan apply $ARGS 2>&1
	echo "exit $?"
	section kmem-names
	ndctl list -N | grep -c '"name":"pmemplan-kmem"'
else
	section apply-json
	# shellcheck disable=SC2086
	pmemplan apply --json $ARGS 2>/tmp/err
	echo "exit $?" >/tmp/rc
	section apply-rc
	cat /tmp/rc /tmp/err
fi

section labels-after
labels >/tmp/l2
same /tmp/l0 /tmp/l2
section state-after
state >/tmp/sa
same /tmp/s0 /tmp/sa
section iomem-after
cat /proc/iomem
section meminfo
grep -E '^Mem(Total|Available):' /proc/meminfo
section policy-after
cat /sys/devices/system/memory/auto_online_blocks
section zones
for m in /sys/devices/system/memory/memory*; do
	[ "$(cat "$m/state")" = online ] || continue
	echo "$(cat "$m/phys_index") $(cat "$m/valid_zones")"
done
section dax-mom
for d in /sys/bus/dax/devices/dax*; do
	[ -e "$d/memmap_on_memory" ] && echo "${d##*/} $(cat "$d/memmap_on_memory")"
done
section show-after
pmemplan show 2>&1 | cat
section ndctl-after
ndctl list -RN
state >/tmp/s2

# Again, without --force: the planner takes it as leave to replace any
# idle namespace (the spacers too)
AGAIN=$(echo " $ARGS " | sed 's/ --force / /')
section again
# shellcheck disable=SC2086
pmemplan apply $AGAIN >/tmp/out 2>&1
echo "exit $?"
cat /tmp/out
state >/tmp/s3
same /tmp/s2 /tmp/s3
section config
# shellcheck disable=SC2086
pmemplan apply --write-config=/tmp/conf $AGAIN 2>&1
echo "exit $?"
cat /tmp/conf/pmemplan.conf
if [ "${PRE:-fresh}" = data ] || [ "${PRE:-fresh}" = full ]; then
	section data-after
	dd if=/dev/pmem0 bs=1M skip=1 count=1 2>/dev/null | md5sum
fi
