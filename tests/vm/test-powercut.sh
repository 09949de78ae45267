#!/usr/bin/env bash
# Power cuts during "pmemplan apply" on the real Debian 12 system (mkimage.sh,
# booted by debian-vm.sh): QEMU killed (SIGKILL, no shutdown) while apply
# runs, then the next boot.  On each kernel:
#   - a labelled NVDIMM whose region holds an fsdax namespace "data" (ext4,
#     a 64 MiB file of random bytes) and 4 GiB of free space; the package
#     installed with apt
#   - the sweep: a plain apply that stops before every step
#     (PMEMPLAN_TEST_STOP_STEP=all, pmemplan-apply(1)); at each stop the
#     host takes the digest of the NVDIMM's backing file (nvdimm-digest.py:
#     every byte but the guest's System RAM).  A power cut before step N
#     leaves the media as the steps before N left it, so the steps after
#     which the media is new are the power cuts that can differ; every other
#     stop leaves the same bytes as one of them.  The apply's end is one too.
#   - at each of those: apply again, stopped before that step, and the power
#     cut; after the boot, "pmemplan show" and "pmemplan plan" (kept in the
#     log: what they say of the half-done state), then the plain "pmemplan
#     apply" finishes: exit 0, the same System RAM (kmem) ranges in
#     /proc/iomem as the uninterrupted apply, every block of them online in
#     ZONE_MOVABLE, the data namespace there with its uuid, its file the same
#     byte for byte; then the plan's namespaces are taken down again (daxctl,
#     ndctl: the test's own tools) for the next cut
#   - a 40 GiB NVDIMM (with its data namespace): the uninterrupted apply
#     timed (its own -v times), then power cuts at random moments of it (PMEMPLAN_POWERCUT_SEED
#     picks them; printed), each followed by the same checks
#
#   test-powercut.sh PATH-TO-DEB [KERNEL...]      (default kernel: 6.12)
#
# PMEMPLAN_POWERCUT_RANDOM: how many random cuts of the 40 GiB apply
# (default 2, which keeps CI under its 90 minutes; 0 skips that part); PMEMPLAN_POWERCUT_PARTS: "4g 40g" (the
# default), or one of them.  Needs root.  Each boot holds
# /tmp/pmemplan-vm.lock (debian-vm.sh).  PMEMPLAN_VM_KEEP=1 keeps the
# guests' directories.  Prints one line per check; exits 1 if any failed.
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
# shellcheck disable=SC2016 # the guest's scripts, in single quotes, are the guest's
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=debian-vm.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-vm.sh"

[[ $# -ge 2 ]] || set -- "$@" 6.12
dvm_driver_init powercut "$@"
vm_need_pkgs python3

DIGEST=$VM_DIR/nvdimm-digest.py
NRANDOM=${PMEMPLAN_POWERCUT_RANDOM:-2}
PARTS=${PMEMPLAN_POWERCUT_PARTS:-4g 40g}
SEED=${PMEMPLAN_POWERCUT_SEED:-$((RANDOM * 32768 + RANDOM))}
RANDOM=$SEED

# The guest's side, installed as /root/pc: subcommands
#   start [STOP]   a plain "pmemplan apply -v" in the background, detached
#                  from ssh (with PMEMPLAN_TEST_STOP_STEP=STOP if given)
#   wait N         until the apply has stopped for the Nth time ("stop N
#                  WHAT") or ended ("end RC")
#   cont           SIGCONT to the stopped apply
#   kmem           the "System RAM (kmem)" ranges of /proc/iomem, START-END
#   base           the physical start of region0
#   state          the kernel's facts (kmem ranges; every block in them with
#                  state and valid_zones; every namespace of sysfs with a
#                  size: dev, name, mode, uuid, size)
#   data           the sha256 of the data namespace's file (mounted read-only)
#   reset          the plan's namespaces taken down: the dax devices bound
#                  to kmem offlined and unbound (daxctl), the pmemplan-*
#                  namespaces destroyed (ndctl); prints the names left
# (sysfs, not ndctl's JSON: the image has no jq)
GUEST_SCRIPT='#!/bin/sh
set -u
case $1 in
start)
	rm -f /tmp/a.out /tmp/a.err /tmp/a.pid /tmp/a.rc
	stop=${2:-}
	setsid -f sh -c "${stop:+PMEMPLAN_TEST_STOP_STEP=$stop }pmemplan apply -v >/tmp/a.out 2>/tmp/a.err &
		echo \$! >/tmp/a.pid.tmp && mv /tmp/a.pid.tmp /tmp/a.pid; wait \$!; echo \$? >/tmp/a.rc" </dev/null >/dev/null 2>&1
	while [ ! -s /tmp/a.pid ]; do sleep 0.05; done ;;
wait)
	pid=$(cat /tmp/a.pid)
	while :; do
		if [ -s /tmp/a.rc ]; then echo "end $(cat /tmp/a.rc)"; exit 0; fi
		n=$(grep -c "^pmemplan: test: stopped before step" /tmp/a.err)
		st=$(sed "s/.*) //" /proc/$pid/stat 2>/dev/null | cut -c1)
		if [ "$n" -ge "$2" ] && [ "$st" = T ]; then
			echo "stop $(grep "^pmemplan: test: stopped before step" /tmp/a.err | sed -n "$2{s/^pmemplan: test: stopped before //;p}")"
			exit 0
		fi
		sleep 0.05
	done ;;
cont) kill -CONT "$(cat /tmp/a.pid)" ;;
kmem) grep "System RAM (kmem)" /proc/iomem | sed "s/^ *//; s/ :.*//" ;;
base) printf "%x\n" "$(cat /sys/bus/nd/devices/region0/resource)" ;;
state)
'"$DVM_KMEM_BLOCKS_SH"'
	for ns in /sys/bus/nd/devices/namespace*.*; do
		[ "$(cat $ns/size)" != 0 ] || continue
		echo "namespace ${ns##*/} $(cat $ns/alt_name | grep . || echo -) $(cat $ns/mode) $(cat $ns/uuid) $(cat $ns/size)"
	done | sort ;;
data)
	mkdir -p /mnt/data
	mount -o ro /dev/pmem0 /mnt/data && sha256sum /mnt/data/file | cut -d" " -f1
	umount /mnt/data ;;
reset)
	for d in /sys/bus/dax/devices/dax*; do
		[ "$(basename "$(readlink $d/driver)")" = kmem ] || continue
		daxctl reconfigure-device -m devdax -f "${d##*/}" >/dev/null 2>&1 || echo "cannot offline ${d##*/}"
	done
	for ns in /sys/bus/nd/devices/namespace*.*; do
		case $(cat $ns/alt_name) in pmemplan-*) ;; *) continue ;; esac
		ndctl destroy-namespace -f "${ns##*/}" >/dev/null 2>&1 || echo "cannot destroy ${ns##*/}"
	done
	for ns in /sys/bus/nd/devices/namespace*.*; do
		[ "$(cat $ns/size)" = 0 ] || cat $ns/alt_name
	done ;;
esac
'

# The region's data namespace: ext4 with a file of random bytes; its
# sha256 into $dir/data-sha.
make_data() {
	local k=$1 f=$dir/setup
	dvm_ssh 'cat >/root/pc && chmod +x /root/pc' <<<"$GUEST_SCRIPT" || { fail "$k: cannot install the guest's script"; return 1; }
	dvm_ssh 'set -e
		ndctl disable-region all >/dev/null
		ndctl init-labels -f all >/dev/null
		ndctl enable-region all >/dev/null
		ndctl create-namespace -r region0 -m fsdax -s 512M -n data >/dev/null
		mkfs.ext4 -q /dev/pmem0
		mkdir -p /mnt/data && mount /dev/pmem0 /mnt/data
		head -c 64M /dev/urandom >/mnt/data/file
		sync && umount /mnt/data
		/root/pc data' >"$f" 2>&1 && [[ $(tail -n 1 "$f") =~ ^[0-9a-f]{64}$ ]] &&
		ok "data: fsdax namespace \"data\" (512 MiB, ext4), a 64 MiB file, sha256 $(tail -n 1 "$f" | cut -c1-16)…" ||
		{ fail "$k: cannot make the data namespace"; show_file "$f"; return 1; }
	tail -n 1 "$f" >"$dir/data-sha"
	dvm_ssh /root/pc base >"$dir/base" 2>&1 && [[ $(cat "$dir/base") =~ ^[0-9a-f]+$ ]] ||
		{ fail "$k: no region0"; return 1; }
}

# The digest of the NVDIMM now (nothing of the guest's System RAM).
digest() {
	local ranges
	mapfile -t ranges < <(dvm_ssh /root/pc kmem)
	python3 "$DIGEST" "$nvfile" "$(cat "$dir/base")" ${ranges[@]+"${ranges[@]}"}
}

# The sweep: the apply stopped before every step, the digest at each stop
# into $dir/sweep ("N DIGEST WHAT"), the end as "end DIGEST"; the cut points
# (the steps after which the media is new, and "end") into the array cuts.
sweep() {
	local k=$1 n=1 r prev d step
	dvm_ssh /root/pc start all || { fail "$k: cannot start apply"; return 1; }
	: >"$dir/sweep"
	while :; do
		r=$(dvm_ssh /root/pc wait "$n") || { fail "$k: the sweep lost the apply"; return 1; }
		d=$(digest)
		if [[ $r == end* ]]; then
			echo "end $d ${r#end }" >>"$dir/sweep"
			break
		fi
		echo "$n $d ${r#stop }" >>"$dir/sweep"
		dvm_ssh /root/pc cont
		n=$((n + 1))
	done
	cuts=()
	prev=$(head -n 1 "$dir/sweep" | cut -d' ' -f2)
	while read -r step d _; do
		if [[ $d != "$prev" ]]; then
			cuts+=("$step")
			prev=$d
		fi
	done < <(tail -n +2 "$dir/sweep")
	[[ ${cuts[-1]:-} == end ]] || cuts+=(end)
	[[ $(tail -n 1 "$dir/sweep") == "end "*" 0" ]] &&
		ok "sweep: $((n - 1)) steps, the media new after $((${#cuts[@]} - 1)) of them; power cuts before step$(printf ' %s' "${cuts[@]}")" ||
		{ fail "$k: the sweep's apply failed"; show_file "$dir/a.err"; return 1; }
	dvm_ssh /root/pc state >"$dir/state-ref"
	grep -q '^kmem ' "$dir/state-ref" &&
		ok "the uninterrupted apply: kmem $(sed -n 's/^kmem //p' "$dir/state-ref" | paste -sd ' '), $(grep -c '^block .* online Movable$' "$dir/state-ref") blocks online Movable" ||
		{ fail "$k: no kmem after the sweep's apply"; show_file "$dir/state-ref"; return 1; }
	sed 's/^/    /' "$dir/sweep" | cut -c1-120
}

# Does show explain what the kernel found after the cut ($3.found: the
# state before apply ran)?  Every namespace named by apply (pmemplan-*) that
# came up raw, and a pmemplan-kmem one in devdax with no System RAM (kmem),
# must have its note (pmemplan-show(1)).
explained() {
	local k=$1 what=$2 f=$3 dev name mode n=0 bad=0
	while read -r dev name mode _; do
		case $name:$mode in
		pmemplan-*:raw) grep -q "^note: $dev ($name): raw, a label and no info block" "$f.show" || bad=1 ;;
		pmemplan-kmem:dax) grep -q '^kmem ' "$f.found" ||
			grep -q "^note: $dev ($name): devdax, not System RAM" "$f.show" || bad=1 ;;
		*) continue ;;
		esac
		n=$((n + 1))
	done < <(sed -n 's/^namespace //p' "$f.found")
	if ((bad)); then
		fail "$k: $what: show does not explain what the cut left"
		show_file "$f.found"
		return 1
	fi
	((n == 0)) && ok "$what: the kernel came up with nothing half-made" ||
		ok "$what: show explains the $n half-made namespace(s) it left ($(grep -o '^note: [^:]*' "$f.show" | sed 's/^note: //' | paste -sd ' '))"
}

# After a power cut ($1 a label for it): the next boot, show and plan (kept
# in the log), the plain apply, and the kernel judged.
after_cut() {
	local k=$1 what=$2 f=$dir/cut-$3
	dvm_powercut
	if ! dvm_boot "$k"; then
		fail "$k: $what: no ssh login after the power cut"
		return 1
	fi
	dvm_ssh 'echo "# pmemplan show"; pmemplan show; echo "rc $?"
		echo "# pmemplan plan"; pmemplan plan; echo "rc $?"' >"$f.show" 2>&1 || :
	dvm_ssh 'pmemplan show --json' >"$f.json" 2>&1 || :
	dvm_ssh /root/pc state >"$f.found" 2>&1 || :
	echo "  -- $what: after the boot (ssh after $DVM_BOOT_SECONDS s), show and plan say:"
	grep -v '^rc ' "$f.show" | sed 's/^/    | /' | cut -c1-130
	explained "$k" "$what" "$f" || :
	grep -qx 'rc 0' "$f.show" ||
		fail "$k: $what: pmemplan show or plan failed after the power cut"
	dvm_ssh 'pmemplan apply; echo "rc $?"' >"$f.apply" 2>&1 || :
	dvm_ssh /root/pc state >"$f.state" 2>&1 || :
	grep -qx 'rc 0' "$f.apply" &&
		cmp -s <(grep '^kmem \|^block ' "$dir/state-ref") <(grep '^kmem \|^block ' "$f.state") &&
		ok "$what: the plain apply finished it (exit 0): the same kmem, every block online Movable" ||
		{ fail "$k: $what: apply did not finish the plan"; show_file "$f.apply" 15; show_diff "$dir/state-ref" "$f.state"; }
	grep "^namespace .* data memory $(sed -n 's/^namespace [^ ]* data memory \([^ ]*\) .*/\1/p' "$dir/state-ref") " "$f.state" >/dev/null &&
		[[ $(dvm_ssh /root/pc data 2>&1) == "$(cat "$dir/data-sha")" ]] &&
		ok "$what: the data namespace is there with its uuid, its file the same byte for byte" ||
		{ fail "$k: $what: the data namespace or its file changed"; show_file "$f.state"; }
	dvm_ssh /root/pc reset >"$f.reset" 2>&1 && [[ $(cat "$f.reset") == data ]] ||
		{ fail "$k: $what: cannot take the plan's namespaces down"; show_file "$f.reset"; return 1; }
}

# "step 4: region0: create-namespace fsdax spacer 112 MiB (namespace0.3):
# set size" -> "step 4 (spacer: set size)"
step_label() {
	local r=${1#step }
	echo "step ${r%%:*} ($(sed -E 's/^[^:]*: [^:]*: (create-namespace [a-z]+ ([a-z]+)|([a-z-]+))[^(]*\([^)]*\): /\2\3: /' <<<"$r"))"
}

# A power cut before step $2 (or after the end: "end") of a plain apply.
cut_at() {
	local k=$1 n=$2 r
	if [[ $n == end ]]; then
		dvm_ssh /root/pc start && r=$(dvm_ssh /root/pc wait 1) || r=''
		[[ $r == 'end 0' ]] || { fail "$k: apply (for the cut after its end) failed: $r"; return 1; }
		after_cut "$k" "cut after the apply's end" end
	else
		dvm_ssh /root/pc start "$n" && r=$(dvm_ssh /root/pc wait 1) || r=''
		[[ $r == stop* ]] || { fail "$k: apply did not stop before step $n: $r"; return 1; }
		after_cut "$k" "cut before $(step_label "${r#stop }")" "$n"
	fi
}

# A fresh guest in $out/KERNEL/$2 with an NVDIMM of $3 (the data
# namespace's 512 MiB, the plan's space, 2 MiB for the label area), the
# package installed and the data namespace made.
guest_up() {
	local k=$1
	dir=$out/$k/$2
	dvm_init "$dir"
	nvfile=$dir/nvdimm0.img
	dvm_nvdimm "$3,label" "$nvfile"
	dvm_boot "$k" || { fail "$k: the guest gave no ssh login"; dvm_stop; return 1; }
	echo "== $k: ssh after $DVM_BOOT_SECONDS s"
	dvm_install_deb "$k" "$dir/install" && make_data "$k" || { dvm_stop; return 1; }
}

# The 4 GiB plan: the sweep, then a power cut at each new state of the media.
four_gib() {
	local k=$1 n t
	echo "== $k: 4 GiB"
	guest_up "$k" 4g 4610M || return 1
	sweep "$k" || { dvm_stop; return 1; }
	dvm_ssh /root/pc reset >"$dir/reset" 2>&1 && [[ $(cat "$dir/reset") == data ]] ||
		{ fail "$k: cannot take the plan's namespaces down"; show_file "$dir/reset"; dvm_stop; return 1; }
	for n in "${cuts[@]}"; do
		t=$SECONDS
		cut_at "$k" "$n" || break
		echo "  -- $((SECONDS - t)) s"
	done
	dvm_stop
}

# The 40 GiB plan: its apply timed, then power cuts at random moments.
forty_gib() {
	local k=$1 i t0 t ms r
	echo "== $k: 40 GiB (seed $SEED)"
	guest_up "$k" 40g 41474M || return 1
	t0=$(date +%s%N)
	dvm_ssh /root/pc start && r=$(dvm_ssh /root/pc wait 1) || r=''
	ms=$((($(date +%s%N) - t0) / 1000000))
	dvm_ssh /root/pc state >"$dir/state-ref"
	[[ $r == 'end 0' ]] && grep -q '^kmem ' "$dir/state-ref" &&
		ok "the uninterrupted 40 GiB apply: $ms ms, kmem $(sed -n 's/^kmem //p' "$dir/state-ref" | paste -sd ' '), $(grep -c '^block .* online Movable$' "$dir/state-ref") blocks online Movable" ||
		{ fail "$k: the 40 GiB apply failed: $r"; dvm_ssh cat /tmp/a.err >"$dir/a.err" 2>&1; show_file "$dir/a.err"; dvm_stop; return 1; }
	dvm_ssh /root/pc reset >"$dir/reset" 2>&1 && [[ $(cat "$dir/reset") == data ]] ||
		{ fail "$k: cannot take the plan's namespaces down"; show_file "$dir/reset"; dvm_stop; return 1; }
	# The moments are drawn from the time of an apply like the cut ones
	# (after a reset: the modules loaded, faster than the first), its own
	# (its last -v line: the host's would add ssh and polling, and a moment
	# past the end is no moment of the apply).
	dvm_ssh /root/pc start && r=$(dvm_ssh /root/pc wait 1) || r=''
	[[ $r == 'end 0' ]] || { fail "$k: the second 40 GiB apply failed: $r"; dvm_stop; return 1; }
	r=$(dvm_ssh "sed -n 's/^pmemplan: apply: \([0-9.]*\) s: .*/\1/p' /tmp/a.err | tail -n 1") || r=''
	[[ $r =~ ^[0-9]+\.[0-9]+$ ]] && ms=$(awk -v s="$r" 'BEGIN { printf "%d", s * 1000 }')
	((ms > 0)) || ms=1
	echo "  -- the same apply after a reset: $ms ms by its own clock (apply -v)"
	dvm_ssh /root/pc reset >"$dir/reset" 2>&1 && [[ $(cat "$dir/reset") == data ]] ||
		{ fail "$k: cannot take the plan's namespaces down"; show_file "$dir/reset"; dvm_stop; return 1; }
	for ((i = 1; i <= NRANDOM; i++)); do
		t=$((RANDOM % ms))
		dvm_ssh /root/pc start || { fail "$k: cannot start apply"; break; }
		# t ms after the apply started (and the ssh login), where it was;
		# the cut comes as soon as ssh returns
		dvm_ssh "sleep $((t / 1000)).$(printf %03d $((t % 1000)))
			if [ -s /tmp/a.rc ]; then echo end
			else grep '^pmemplan: apply: [0-9.]* s: step ' /tmp/a.err | tail -n 1; fi" >"$dir/moment-$i" 2>&1 || :
		r=$(sed 's/^pmemplan: apply: [0-9.]* s: //' "$dir/moment-$i")
		case $r in
		end) r="after its end" ;;
		step*) r="in $(step_label "$r")" ;;
		*) r="before its first step" ;;
		esac
		after_cut "$k" "cut $t ms into the apply ($r)" "r$i" || break
	done
	dvm_stop
}

for k in "${kernels[@]}"; do
	current=$k
	t=$SECONDS
	if [[ " $PARTS " == *" 4g "* ]]; then
		four_gib "$k" || :
		echo "== $k: 4 GiB: $((SECONDS - t)) s"
	fi
	if [[ " $PARTS " == *" 40g "* ]] && ((NRANDOM > 0)); then
		t=$SECONDS
		forty_gib "$k" || :
		echo "== $k: 40 GiB: $((SECONDS - t)) s"
	fi
done

vm_finish power-cut
