#!/usr/bin/env bash
# pmemplan on a real Debian 12 system (mkimage.sh, booted by debian-vm.sh)
# with a labelled 4 GiB NVDIMM, on each kernel:
#   - the package installs as a user installs it: apt install ./pmemplan_*.deb,
#     offline (the guest reaches nothing), its dependencies already there;
#     the binary, the man pages and the completion where the package says
#   - root: show exits 0 and its addresses are the kernel's (/proc/iomem,
#     check-show.sh), with an fsdax and a devdax namespace made by ndctl,
#     the devdax one bound to kmem by daxctl
#   - the unprivileged user operator, logged in over ssh with its own key:
#     show degrades as pmemplan-show(1) says (sizes, "physical layout unknown
#     (needs root)", a note; JSON: addresses null, platform.root false), and
#     apply --target kmem, which root's --dry-run shows has work to do,
#     refuses with exit 3 naming root and changes nothing (ndctl list,
#     daxctl list, the labels, /proc/iomem, MemTotal, the online policy)
#   - bash completion in operator's interactive bash: loaded by
#     bash-completion on demand, offers the commands and this guest's
#     region and namespaces (as ndctl lists them)
#   - a clean reboot (systemctl poweroff, a new QEMU on the same disk and
#     NVDIMM file) keeps the regions, namespaces and labels, the root file
#     system needs no journal recovery, and show is right again
#   - a power cut (QEMU killed): the guest boots again, ext4 recovers its
#     journal, a synced file is kept, regions, namespaces and labels too
#
#   test-debian.sh PATH-TO-DEB [KERNEL...]       (default kernels: 6.1 6.12)
#
# Needs root (the image build, QEMU).  Each boot holds /tmp/pmemplan-vm.lock
# (debian-vm.sh).  PMEMPLAN_VM_KEEP=1 keeps the guests' directories (console
# logs, outputs).  Prints one line per check; exits 1 if any failed.
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
# shellcheck disable=SC2016 # the guest's scripts, in single quotes, are the guest's
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=debian-vm.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-vm.sh"

dvm_driver_init debian "$@"

# What the system looks like, as root sees it: what a refused command must
# leave exactly as it was.
state() {
	dvm_ssh 'ndctl list -RNDi; daxctl list -DM; ndctl read-labels -j nmem0 2>/dev/null;
		cat /proc/iomem /sys/devices/system/memory/auto_online_blocks;
		grep MemTotal: /proc/meminfo' 2>&1
}

# The section of a command's output after "== NAME", up to the next.
# Guest scripts print "== NAME" then the output, then "rc N".
section() { awk -v s="== $2" '$0 == s { on = 1; next } /^== / { on = 0 } on' "$1"; }
rc_of() { section "$1" "$2" | sed -n '$s/^rc //p'; }
body() { section "$1" "$2" | sed '$d'; }
# After a failed check, what it saw, indented; never a failure itself (the
# check's verdict is fail's).
show_section() { section "$1" "$2" | head -n 30 | sed 's/^/    | /' || :; }

install_package() {
	local k=$1 f=$dir/install
	dvm_install_deb "$k" "$f" || return 1
	dvm_ssh 'dpkg-query -W -f "\${Status} \${Version}\n" pmemplan; command -v pmemplan;
		man -w pmemplan pmemplan-show pmemplan-plan pmemplan-apply;
		ls /usr/share/bash-completion/completions/pmemplan' >"$f" 2>&1 &&
		grep -qx 'install ok installed .*' "$f" && grep -qx /usr/bin/pmemplan "$f" &&
		[[ $(grep -c '^/usr/share/man/man1/pmemplan.*\.1\.gz$' "$f") == 4 ]] &&
		ok "installed: /usr/bin/pmemplan, 4 man pages, the bash completion" ||
		{ fail "$k: the package's files are not where they belong"; show_file "$f"; }
}

# The namespaces of the scenario: fresh labels, an fsdax and a devdax one,
# the devdax one System RAM (movable: the policy is offline around daxctl,
# as a careful user on 6.12 does).
make_namespaces() {
	local k=$1
	dvm_ssh 'set -e
		ndctl disable-region all >/dev/null
		ndctl init-labels -f all >/dev/null
		ndctl enable-region all >/dev/null
		ndctl create-namespace -r region0 -m fsdax -s 512M >/dev/null
		ndctl create-namespace -r region0 -m devdax -M dev -s 1G >/dev/null
		p=/sys/devices/system/memory/auto_online_blocks
		old=$(cat $p)
		echo offline >$p
		daxctl reconfigure-device -m system-ram all >/dev/null 2>&1 || rc=$?
		echo "$old" >$p
		exit ${rc:-0}' >"$dir/setup" 2>&1 && ok "ndctl: fsdax 512M + devdax 1G, daxctl: System RAM" ||
		{ fail "$k: making the namespaces failed"; show_file "$dir/setup"; return 1; }
}

# Root's show, judged by /proc/iomem; $2 names the round.
check_root_show() {
	local k=$1 r=$2
	dvm_ssh 'pmemplan show --json' >"$dir/show-$r.json" 2>"$dir/show-$r.err" ||
		{ fail "$k $r: pmemplan show --json as root failed"; show_file "$dir/show-$r.err"; return; }
	dvm_ssh 'cat /proc/iomem' >"$dir/iomem-$r" || :
	"$VM_DIR/check-show.sh" "$dir/show-$r.json" "$dir/iomem-$r" >"$dir/check-$r" 2>&1 &&
		ok "$r: root's show --json = /proc/iomem ($(grep -c '^  ok' "$dir/check-$r") checks)" ||
		{ fail "$k $r: root's show --json against /proc/iomem"; grep -v '^  ok' "$dir/check-$r" | sed 's/^/    /' || :; }
	dvm_ssh 'pmemplan show' >"$dir/show-$r" 2>&1 &&
		grep -q '^region0: 4 GiB, ' "$dir/show-$r" &&
		ok "$r: root's show exits 0: $(grep '^region0:' "$dir/show-$r" | cut -c1-60)..." ||
		{ fail "$k $r: root's show"; show_file "$dir/show-$r"; }
}

# The unprivileged user: show as documented, apply refused, nothing changed.
check_operator() {
	local k=$1 f=$dir/operator rc
	state >"$dir/state-before" || :
	dvm_ssh 'pmemplan apply --target kmem --dry-run' >"$dir/dry-run" 2>&1 &&
		grep -Eq '^ +1\. ' "$dir/dry-run" &&
		ok "root's apply --dry-run has work to do: $(grep -Ec '^ +[0-9]+\. ' "$dir/dry-run") operations" ||
		{ fail "$k: root's apply --dry-run plans nothing: the refusal would prove nothing"; show_file "$dir/dry-run"; }
	dvm_ssh -u operator 'run() { n=$1; shift; echo "== $n"; "$@" 2>&1; echo "rc $?"; }
		run id id -u
		run iomem grep -m1 "Persistent Memory" /proc/iomem
		run show pmemplan show
		run json pmemplan show --json
		run apply pmemplan apply --target kmem' >"$f" 2>&1 || :
	[[ $(body "$f" id) != 0 && $(body "$f" iomem) == 00000000-00000000* ]] &&
		ok "operator: uid $(body "$f" id), /proc/iomem without addresses" ||
		{ fail "$k: operator is not an unprivileged user"; show_section "$f" id; show_section "$f" iomem; }
	rc=$(rc_of "$f" show)
	[[ $rc == 0 ]] && body "$f" show | grep -qx 'region0: 4 GiB, physical layout unknown (needs root)' &&
		body "$f" show | grep -Eq 'namespace0\.[0-9]+ +fsdax .* 512 MiB' &&
		body "$f" show | grep -Eq 'namespace0\.[0-9]+ +devdax .* 1 GiB' &&
		body "$f" show | grep -q '^note: .*root' &&
		ok "operator: show exits 0, sizes, 'physical layout unknown (needs root)', a note" ||
		{ fail "$k: operator's show (exit $rc)"; show_section "$f" show; }
	rc=$(rc_of "$f" json)
	[[ $rc == 0 ]] && body "$f" json | jq -e '
		(.platform.root == false) and
		([.regions[].resource, .regions[].namespaces[].resource] | all(. == null)) and
		(.regions[0].size == 4294967296) and
		([.regions[0].namespaces[].size] | sort == [536870912, 1073741824]) and
		(.notes | any(test("root")))' >/dev/null 2>&1 &&
		ok "operator: show --json: addresses null, sizes, root false, a note" ||
		{ fail "$k: operator's show --json (exit $rc)"; show_section "$f" json; }
	rc=$(rc_of "$f" apply)
	[[ $rc == 3 ]] && body "$f" apply | grep -q root &&
		ok "operator: apply --target kmem: exit 3, \"$(body "$f" apply | head -n 1)\"" ||
		{ fail "$k: operator's apply: exit $rc, wanted 3 naming root"; show_section "$f" apply; }
	state >"$dir/state-after" || :
	cmp -s "$dir/state-before" "$dir/state-after" &&
		ok "operator's apply changed nothing: ndctl list, daxctl list, labels, iomem, policy, MemTotal" ||
		{ fail "$k: the system changed under operator's apply"; show_diff "$dir/state-before" "$dir/state-after"; }
}

# Completion in operator's interactive bash: ~/.bashrc loads bash-completion,
# whose loader finds pmemplan's file at the first completion, as a TAB does.
check_completion() {
	local k=$1 f=$dir/completion want
	dvm_ssh -u operator 'bash -ic '\''
		comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
			_pmemplan pmemplan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
			printf "%s\n" "${COMPREPLY[@]}" | sort | paste -sd " "; }
		echo "== before"; complete -p pmemplan 2>&1; echo "rc $?"
		_completion_loader pmemplan
		echo "== after"; complete -p pmemplan; echo "rc $?"
		echo "== commands"; comp pmemplan ""; echo "rc 0"
		echo "== apply-options"; comp pmemplan apply --dr; echo "rc 0"
		echo "== regions"; comp pmemplan show -r ""; echo "rc 0"
		echo "== namespaces"; comp pmemplan apply --reconfigure ""; echo "rc 0"
		'\''' >"$f" 2>/dev/null || :
	[[ $(rc_of "$f" before) != 0 && $(body "$f" after) == 'complete -F _pmemplan pmemplan' ]] &&
		ok "completion: loaded on demand by bash-completion: $(body "$f" after)" ||
		{ fail "$k: bash-completion did not load pmemplan's completion"; show_section "$f" before; show_section "$f" after; }
	[[ $(body "$f" commands) == 'apply plan show' && $(body "$f" apply-options) == '--dram-percent --dry-run' ]] &&
		ok "completion: commands, apply's options" ||
		{ fail "$k: completion of commands or options"; show_section "$f" commands; show_section "$f" apply-options; }
	want=$(dvm_ssh 'ls /sys/bus/nd/devices' | grep -x 'region[0-9]*' | sort | paste -sd ' ') || :
	[[ -n $want && $(body "$f" regions) == "$want" ]] &&
		ok "completion: regions: $want" ||
		{ fail "$k: completion of regions: wanted '$want'"; show_section "$f" regions; }
	want=$(dvm_ssh 'ndctl list -N' | jq -r '.[].dev' | sort | paste -sd ' ') || :
	[[ $want == *' '* && $(body "$f" namespaces) == "$want" ]] &&
		ok "completion: namespaces as ndctl lists them: $want" ||
		{ fail "$k: completion of namespaces: wanted '$want'"; show_section "$f" namespaces; }
}

# A clean reboot keeps regions, namespaces and labels.
check_reboot() {
	local k=$1 n
	dvm_ssh 'ndctl list -RNi; ndctl read-labels -j nmem0 2>/dev/null' >"$dir/labels-before" 2>&1 || :
	if ! dvm_reboot "$k"; then
		fail "$k: the clean reboot failed"
		return 1
	fi
	echo "== $k: rebooted: ssh after $DVM_BOOT_SECONDS s (lock: $DVM_LOCK_SECONDS s)"
	dvm_ssh 'ndctl list -RNi; ndctl read-labels -j nmem0 2>/dev/null' >"$dir/labels-after" 2>&1 || :
	n=$(jq -s '[.. | objects | select((.dev? // "") | startswith("namespace")) |
		select(.size > 0)] | length' "$dir/labels-before" 2>/dev/null) || n=0
	[[ $n == 2 ]] && grep -q '"NAMESPACE_INDEX"' "$dir/labels-before" &&
		cmp -s "$dir/labels-before" "$dir/labels-after" &&
		ok "reboot: regions, $n namespaces and the label area as before" ||
		{ fail "$k: the reboot changed regions, namespaces or labels"; show_diff "$dir/labels-before" "$dir/labels-after"; }
	# ext4 replays its journal at mount only after an unclean end
	dvm_ssh dmesg >"$dir/dmesg-reboot" || :
	! grep -q 'EXT4-fs (vda): recovery complete' "$dir/dmesg-reboot" &&
		ok "reboot was clean: the root file system needed no journal recovery" ||
		fail "$k: the clean reboot left the root file system to be recovered"
}

# A power cut (QEMU killed, no shutdown): the guest comes back, its root
# file system recovered, a file it synced kept, regions, namespaces and
# labels as before.
check_powercut() {
	local k=$1
	dvm_ssh 'echo synced >/root/synced && sync' || { fail "$k: cannot write /root/synced"; return 1; }
	dvm_powercut
	if ! dvm_boot "$k"; then
		fail "$k: no ssh login after the power cut"
		return 1
	fi
	echo "== $k: after the power cut: ssh after $DVM_BOOT_SECONDS s (lock: $DVM_LOCK_SECONDS s)"
	dvm_ssh 'ndctl list -RNi; ndctl read-labels -j nmem0 2>/dev/null' >"$dir/labels-powercut" 2>&1 || :
	cmp -s "$dir/labels-before" "$dir/labels-powercut" &&
		ok "power cut: regions, namespaces and the label area as before" ||
		{ fail "$k: the power cut changed regions, namespaces or labels"; show_diff "$dir/labels-before" "$dir/labels-powercut"; }
	dvm_ssh 'dmesg; cat /root/synced' >"$dir/dmesg-powercut" 2>&1 || :
	grep -q 'EXT4-fs (vda): recovery complete' "$dir/dmesg-powercut" && grep -qx synced "$dir/dmesg-powercut" &&
		ok "power cut was one: the root file system recovered its journal, the synced file is there" ||
		{ fail "$k: no journal recovery after the power cut, or the synced file lost"; grep -a 'EXT4\|synced' "$dir/dmesg-powercut" | sed 's/^/    | /' || :; }
}

for k in "${kernels[@]}"; do
	current=$k dir=$out/$k
	t0=$SECONDS
	dvm_driver_boot "$k" || continue
	rel=$(dvm_release "$k")
	[[ $(dvm_ssh uname -r) == "$rel" ]] && ok "kernel $rel" || fail "$k: not kernel $rel"
	if install_package "$k" && make_namespaces "$k"; then
		check_root_show "$k" boot1
		check_operator "$k"
		check_completion "$k"
		check_reboot "$k" && check_root_show "$k" boot2 && check_powercut "$k"
	fi
	if dvm_running; then
		dvm_poweroff && ok "clean poweroff" || fail "$k: no clean poweroff"
	fi
	echo "== $k: $((SECONDS - t0)) s"
done

vm_finish Debian
