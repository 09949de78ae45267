#!/bin/bash
# Benchmark of apply (issue 4): in a QEMU guest (Debian's kernel, TCG) with
# a 40 GiB NVDIMM and 4 GiB of RAM, the wall time of "pmemplan apply"
# split by step -- namespace creation (spacer and kmem namespace, info
# blocks written, verified), kmem bind (device_dax out, kmem in), onlining
# (every block, movable) and the final check -- beside ndctl + daxctl
# doing the same work: "ndctl create-namespace -m devdax -M mem", "daxctl
# reconfigure-device -N -m system-ram" (bind only) and "daxctl
# online-memory", back to back.  Both start from the same fresh labelled
# region; times come from the guest's clock.  Prints figures; asserts
# nothing.
#
#   apply-bench.sh [PMEMPLAN_BINARY] [KERNEL]     (defaults: build/pmemplan, 6.1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../../build/pmemplan}")
kernel=${2:-6.1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cat >"$out/guest.sh" <<'EOF'
. /lib/pmemplan-vm/helpers.sh
init_labels >/dev/null 2>&1
now() { cut -d' ' -f1 /proc/uptime; }
echo "=== pmemplan"
pmemplan apply -v 2>&1 >/tmp/report | sed -n 's/^pmemplan: apply: \([0-9.]*\) s: step [0-9]*: \(.*\)$/\1 \2/p'
echo "end $(sed -n 's/.*; \([0-9]*\) steps.*/\1/p' /tmp/report)"
cat /tmp/report >&2
# back to the fresh region
dax=$(daxctl list | sed -n 's/.*"chardev":"\(dax[0-9.]*\)".*/\1/p' | head -n 1)
daxctl reconfigure-device -f -m devdax "$dax" >/dev/null 2>&1
ndctl destroy-namespace -f all >/dev/null 2>&1
ndctl disable-region all >/dev/null && ndctl enable-region all >/dev/null
echo "=== ndctl"
# back to back, as apply runs them: the kernel is still finishing the
# device_dax setup when kmem binds, which costs the bind a second or two
policy=$(cat /sys/devices/system/memory/auto_online_blocks)
echo offline >/sys/devices/system/memory/auto_online_blocks
t0=$(now)
ndctl create-namespace -r region0 -m devdax -M mem >/dev/null
t1=$(now)
daxctl reconfigure-device -N -m system-ram all >/dev/null 2>&1
t2=$(now)
daxctl online-memory all >/dev/null 2>&1
t4=$(now)
echo "$policy" >/sys/devices/system/memory/auto_online_blocks
t3=$t2
t2=$t1
echo "create $t0 $t1"
echo "bind $t2 $t3"
echo "online $t3 $t4"
echo "kmem $(grep -c 'System RAM (kmem)' /proc/iomem)"
EOF

"$here/../vm/run-vm.sh" --kernel "$kernel" --mem 4G --nvdimm 40962M,label \
	--file "$bin:/bin/pmemplan" --script "$out/guest.sh" --timeout 1200 \
	>"$out/console" 2>"$out/stderr" || { cat "$out/stderr"; tail -20 "$out/console"; exit 1; }

# pmemplan: seconds at which each step began; a phase lasts from its first
# step to the first step of the next phase.
awk '
function phase(s) {
	if (s ~ /create-namespace|region-align|init-labels|destroy/) return "create"
	if (s ~ /unbind device_dax|bind kmem|auto_online/) return "bind"
	if (s ~ /: online /) return "online"
	if (s ~ /verify kmem/) return "verify"
	return "other"
}
/^=== pmemplan/ { p = 1; next }
/^=== ndctl/ { p = 0; n = 1; next }
p && /^[0-9.]+ / { t = $1; $1 = ""; ph = phase($0)
	if (!(ph in start)) start[ph] = t
	if (!kstart && $0 ~ /create-namespace devdax/) kstart = t
	last = t; next }
p && /^end/ { steps = $2 }
n && /^create / { c = $3 - $2 }
n && /^bind / { b = $3 - $2 }
n && /^online / { o = $3 - $2 }
n && /^kmem / { k = $2 }
END {
	# each phase ends where the next begins; "verify" ends at the last step
	pc = start["bind"] - start["create"]
	pb = start["online"] - start["bind"]
	po = start["verify"] - start["online"]
	printf "40 GiB NVDIMM, 4 GiB RAM, kernel '"$kernel"' (TCG): wall time\n"
	printf "  %-22s %14s %16s\n", "", "pmemplan apply", "ndctl + daxctl"
	printf "  %-22s %12.2f s %14.2f s\n", "namespace creation", pc, c
	printf "  %-22s %12.2f s %16s\n", "  of it the kmem one", start["bind"] - kstart, "(ndctl: 1 only)"
	printf "  %-22s %12.2f s %14.2f s\n", "kmem bind", pb, b
	printf "  %-22s %12.2f s %14.2f s\n", "onlining", po, o
	printf "  %-22s %12.2f s %16s\n", "start to last check", last, "-"
	printf "  (%s steps; ndctl/daxctl timed with /proc/uptime, 10 ms)\n", steps
}' "$out/console"
sed -n '/^region0: /,/^MemTotal/p' "$out/console" | sed 's/^/  /'
