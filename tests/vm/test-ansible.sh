#!/usr/bin/env bash
# The Ansible collection of contrib/ansible (pmemplan.pmemplan) against two
# real Debian 12 systems (mkimage.sh, booted by debian-vm.sh) at once, one
# on each kernel, with pmemplan's package installed by apt:
#   - the collection: python3 -m py_compile and pyflakes on its code,
#     ansible-galaxy collection build, then install into a private
#     collections path; ansible-doc renders both modules; ansible-test
#     sanity (what runs offline, and validate-modules, pep8, yamllint and
#     runtime-metadata as it runs them, with Debian's packages);
#     ansible-lint on it, on the playbook and on README.md's playbook
#   - one inventory with both guests (ssh to 127.0.0.1, the ports and keys
#     of debian-vm.sh), one run of ansible/test-playbook.yml (--diff):
#     pmemplan_facts; the module in check mode; the module as the
#     unprivileged user operator (pmemplan's exit 3: the task fails and says
#     what force would do); the apply (write_config); the same again and
#     check mode again; between them the playbook copies the kernel's own
#     files (/proc/iomem, memory block states, ndctl/daxctl lists, MemTotal)
#     back to the controller
#   - judged from the kernel: check mode and the refusal changed nothing
#     (the same /proc/iomem, blocks, namespaces, labels, MemTotal, also read
#     over plain ssh before the playbook); after the apply "System RAM
#     (kmem)" in /proc/iomem inside the region, every block in it online and
#     Movable, as much as the check-mode plan predicted, MemTotal grown by
#     it; the second run changed nothing, in the kernel too
#   - the 6.1 guest holds a data namespace (fsdax 512 MiB, ext4, a file):
#     after the apply the namespace is there with the same uuid and the
#     file has the same sha256
#
#   test-ansible.sh PATH-TO-DEB
#
# The guests need Python for Ansible: the image of mkimage.sh has none, so
# a copy of it with Debian's python3 (installed with dpkg in a chroot of its
# tree, the packages downloaded by this machine's apt) is cached beside it
# as debian-image-ansible/, rebuilt when the image changes.
#
# Packages (installed with apt when missing): ansible-core, ansible-lint,
# python3-pyflakes, python3-voluptuous, python3-pycodestyle, yamllint (the
# sanity tests), jq, and debian-vm.sh's.  Needs root (the image, chroot,
# QEMU).  The two guests are up together: the script holds
# /tmp/pmemplan-vm.lock (PMEMPLAN_VM_LOCK) from the first power-on to the
# last power-off.  PMEMPLAN_VM_ANSIBLE_SERIAL=1 boots them one after the
# other (to compare the time); PMEMPLAN_VM_ANSIBLE_NO_VM=1 stops after the
# collection's checks (seconds, no QEMU).  PMEMPLAN_VM_KEEP=1 keeps the
# outputs.
# Prints one line per check and the seconds of each part; exits 1 if any
# check failed.
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
# shellcheck disable=SC2016 # the guest's scripts, in single quotes, are the guest's
# shellcheck disable=SC2317 # after "finish" (it exits only with PMEMPLAN_VM_ANSIBLE_NO_VM)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=debian-vm.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-vm.sh"

TOP=$(cd "$VM_DIR/../.." && pwd)
COLLECTION=$TOP/contrib/ansible
PLAYBOOK=$VM_DIR/ansible/test-playbook.yml
GLOBAL_LOCK=${PMEMPLAN_VM_LOCK:-/tmp/pmemplan-vm.lock}
GUESTS=(a b)
declare -A KERNEL=([a]=6.12 [b]=6.1)
# What Ansible needs in the guest: Python (its modules), nothing else.
GUEST_PACKAGES=(python3)
# Debian's Python, whatever else PATH has (ansible-core's, pyflakes')
PY=/usr/bin/python3
# How ansible_image_build makes the image: change it when that changes.
IMAGE_FORMAT=1
# One vCPU per guest: two guests on this machine's 2 cores.  Measured here
# (cached image, lock waits not counted): 1 vCPU each, booted together,
# 181 s in all (boot 38 s, playbook 70 s); 2 vCPUs each together 198 s
# (boot 46 s, playbook 79 s); 2 vCPUs one after the other 212 s (boot 48 s,
# playbook 86 s).
export PMEMPLAN_VM_SMP=${PMEMPLAN_VM_SMP:-1}

# debian-vm.sh drives one guest through its DVM_* variables: each guest's
# are kept in GUEST_STATE and swapped in by use.

declare -A GUEST_STATE
DVM_VARS=(DVM_RUN DVM_NVDIMMS DVM_NVFILES DVM_BOOTS DVM_PID DVM_PORT DVM_IMAGE
	DVM_FLOCK DVM_KERNEL DVM_CONSOLE DVM_LOCK)
current_guest=''
use() {
	if [[ -n $current_guest ]]; then
		GUEST_STATE[$current_guest]=$(declare -p "${DVM_VARS[@]}" 2>/dev/null |
			sed 's/^declare -/declare -g -/')
	fi
	current_guest=$1
	if [[ -n ${GUEST_STATE[$1]:-} ]]; then
		eval "${GUEST_STATE[$1]}"
	else
		DVM_RUN='' DVM_NVDIMMS=() DVM_NVFILES=() DVM_BOOTS=0 DVM_PID='' DVM_PORT=''
		DVM_IMAGE='' DVM_FLOCK='' DVM_KERNEL='' DVM_CONSOLE=''
	fi
}
stop_all() {
	local g
	for g in "${GUESTS[@]}"; do
		use "$g"
		dvm_stop || :
	done
	exec 8>&- || :
}


# The verdict line and the exit status.
finish() {
	stop_all
	echo "== test-ansible.sh: $(secs "$t_start") in all, ${lock_wait:-0} s of it waiting for the VM lock"
	if [[ -s $out/FAILED ]]; then
		echo "VM ansible tests FAILED: $(sort -u "$out/FAILED" | paste -sd ' ')"
		exit 1
	fi
	if [[ -n ${PMEMPLAN_VM_ANSIBLE_NO_VM:-} ]]; then
		echo "ansible collection checks passed (PMEMPLAN_VM_ANSIBLE_NO_VM: no guests)"
	else
		echo "VM ansible tests passed on ${KERNEL[a]} ${KERNEL[b]} (one playbook run, both guests)"
	fi
	exit 0
}

t_start=$SECONDS
[[ $# == 1 ]] || { echo "usage: ${0##*/} PATH-TO-DEB" >&2; exit 2; }
deb=$(realpath "$1")
[[ -f $deb && $deb == *.deb ]] || vm_die "no package $deb"
vm_need_pkgs ansible-core ansible-lint python3-pyflakes python3-voluptuous python3-pycodestyle yamllint jq
out=$(mktemp -d "${TMPDIR:-/tmp}/pmemplan-ansible.XXXXXX")
if [[ -n ${PMEMPLAN_VM_KEEP:-} ]]; then
	echo "keeping $out" >&2
	trap 'stop_all' EXIT
else
	trap 'stop_all; rm -rf "$out"' EXIT
fi
: >"$out/FAILED"
secs() { echo "$((SECONDS - $1)) s"; }

# ------------------------------------------------------------ the collection

echo "== the collection"
t=$SECONDS
coll=$out/collections
mkdir -p "$coll"
(cd "$COLLECTION" && $PY -m py_compile plugins/modules/*.py plugins/module_utils/*.py plugins/doc_fragments/*.py &&
	find . -name __pycache__ -prune -exec rm -rf {} +) >"$out/compile" 2>&1 &&
	ok "python3 -m py_compile: $(cd "$COLLECTION" && echo plugins/*/*.py)" ||
	{ fail "py_compile"; show_file "$out/compile"; }
$PY -m pyflakes "$COLLECTION/plugins" >"$out/pyflakes" 2>&1 &&
	ok "pyflakes: clean" || { fail "pyflakes"; show_file "$out/pyflakes"; }
ansible-galaxy collection build --force "$COLLECTION" --output-path "$out" >"$out/build" 2>&1 &&
	ansible-galaxy collection install -p "$coll" "$out"/pmemplan-pmemplan-*.tar.gz >>"$out/build" 2>&1 &&
	[[ -f $coll/ansible_collections/pmemplan/pmemplan/plugins/modules/pmemplan.py ]] &&
	ok "ansible-galaxy collection build + install: $(cd "$out" && echo pmemplan-pmemplan-*.tar.gz)" ||
	{ fail "ansible-galaxy collection build/install"; show_file "$out/build"; }
export ANSIBLE_COLLECTIONS_PATH=$coll ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
for m in pmemplan pmemplan_facts; do
	ansible-doc "pmemplan.pmemplan.$m" >"$out/doc-$m" 2>&1 &&
		grep -q "^> PMEMPLAN.PMEMPLAN.${m^^}" "$out/doc-$m" && grep -q '^EXAMPLES:' "$out/doc-$m" &&
		grep -q '^RETURN VALUES:' "$out/doc-$m" && grep -q '^- executable' "$out/doc-$m" &&
		ok "ansible-doc pmemplan.pmemplan.$m: $(grep -c '^- ' "$out/doc-$m") options and return values, executable from the doc fragment" ||
		{ fail "ansible-doc pmemplan.pmemplan.$m"; show_file "$out/doc-$m"; }
done
# ansible-test wants the collection at ansible_collections/NS/NAME in a
# git tree.  Its tests that build a virtualenv with pip need the network:
# of those, validate-modules, pep8, yamllint and runtime-metadata run here
# as ansible-test runs them (its own scripts and settings, Debian's
# voluptuous, pycodestyle and yamllint), with the collection's ignore file;
# ansible-doc is the check above; import and pylint are left out.
offline_skip=()
for s in ansible-doc import pep8 pylint runtime-metadata validate-modules yamllint; do
	offline_skip+=(--skip-test "$s")
done
inst=$coll/ansible_collections/pmemplan/pmemplan
AT=$(dirname "$(PYTHONPATH='' $PY -c 'import ansible_test; print(ansible_test.__file__)')")/_util/controller/sanity
pyfiles=(plugins/modules/pmemplan.py plugins/modules/pmemplan_facts.py plugins/module_utils/pmemplan.py
	plugins/doc_fragments/pmemplan.py)
(cd "$inst" && git init -q . &&
	ansible-test sanity --python "$($PY -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
		"${offline_skip[@]}") >"$out/sanity" 2>&1 &&
	ok "ansible-test sanity: the $(grep -c '^Running sanity test' "$out/sanity") tests that run offline" ||
	{ fail "ansible-test sanity"; show_file "$out/sanity"; }
ignore=$COLLECTION/tests/sanity/ignore-$(ansible --version | sed -n '1s/.*core \([0-9]*\.[0-9]*\).*/\1/p').txt
# (its exit status says there were messages: the ignored ones count too)
(cd "$inst" && { PYTHONPATH=$AT/validate-modules $PY "$AT/validate-modules/validate.py" \
	--collection ansible_collections/pmemplan/pmemplan --collection-version 0.1.0 \
	--arg-spec --format plain plugins/modules/*.py 2>&1 || :; } |
	while IFS= read -r line; do
		# "PATH:0:0: ECODE message": left out when the ignore file names it
		f=${line%%:*} code=$(sed -n 's/^[^:]*:[0-9]*:[0-9]*: E\([a-z0-9-]*\) .*/\1/p' <<<"$line")
		grep -qs "^$f validate-modules:$code " "$ignore" || echo "$line"
	done) >"$out/validate" 2>&1 && [[ ! -s $out/validate ]] &&
	ok "validate-modules (ansible-test's, Debian's voluptuous; ${ignore##*/}: $(grep -c . "$ignore") entries)" ||
	{ fail "validate-modules"; show_file "$out/validate"; }
(cd "$inst" && $PY -m pycodestyle --max-line-length 160 \
	--ignore "$(paste -sd, "$AT/pep8/current-ignore.txt")" "${pyfiles[@]}") >"$out/pep8" 2>&1 &&
	ok "pep8 (pycodestyle with ansible-test's settings)" || { fail "pep8"; show_file "$out/pep8"; }
(cd "$COLLECTION" && $PY "$AT/yamllint/yamllinter.py" galaxy.yml meta/runtime.yml "${pyfiles[@]}") >"$out/yamllint" 2>&1 &&
	jq -e '.messages == []' "$out/yamllint" >/dev/null &&
	ok "yamllint (ansible-test's yamllinter: galaxy.yml, meta, the modules' documentation)" ||
	{ fail "yamllint"; show_file "$out/yamllint"; }
(cd "$inst" && $PY "$AT/code-smell/runtime-metadata.py" meta/runtime.yml) >"$out/runtime" 2>&1 &&
	[[ ! -s $out/runtime ]] && ok "runtime-metadata: meta/runtime.yml" ||
	{ fail "runtime-metadata"; show_file "$out/runtime"; }
# ansible-lint: the collection's examples and the test playbook (its
# temporary files, caches, away from the source tree)
(cd "$COLLECTION" && HOME=$out ansible-lint -q --offline --nocolor -p . "$PLAYBOOK") >"$out/lint" 2>&1 &&
	ok "ansible-lint --offline: the collection and ${PLAYBOOK#"$TOP"/}" ||
	{ fail "ansible-lint"; show_file "$out/lint"; }
# The playbook of README.md's "Ansible", as a person copies it: Ansible
# parses it, and ansible-lint passes it.
sed -n '/^# pmem.yml: /,/^```$/p' "$TOP/README.md" | sed '$d' >"$out/readme-pmem.yml"
printf '[pmem]\n' >"$out/readme-hosts"
[[ -s $out/readme-pmem.yml ]] &&
	ansible-playbook --syntax-check -i "$out/readme-hosts" "$out/readme-pmem.yml" >"$out/readme-check" 2>&1 &&
	(cd "$out" && HOME=$out ansible-lint -q --offline --nocolor -p readme-pmem.yml) >>"$out/readme-check" 2>&1 &&
	ok "README.md's playbook: ansible-playbook --syntax-check, ansible-lint" ||
	{ fail "README.md's playbook"; show_file "$out/readme-check"; }
echo "== the collection: $(secs "$t")"
[[ -z ${PMEMPLAN_VM_ANSIBLE_NO_VM:-} ]] || finish

# ------------------------------------------------------------ the image

# The image of mkimage.sh with GUEST_PACKAGES: its tree copied, the
# packages apt (of this machine, on the guest's dpkg status) finds missing
# there downloaded and installed with dpkg in a chroot, mkfs.ext4 -d again.
# Cached as $VM_CACHE/debian-image-ansible (the base image's hash and the
# package list are its input).  Prints its directory.
ansible_image_build() {
	local base=$1 img=$VM_CACHE/debian-image-ansible want=$2 tmp t0=$SECONDS
	tmp=$img.tmp.$$
	rm -rf "$tmp" "$img".tmp.*
	mkdir -p "$tmp/debs/partial" "$tmp/apt/lists/partial"
	cp -a "$base/tree" "$tmp/tree"
	# apt of this machine: its lists and sources, the guest's dpkg status
	# (the guest has bookworm's packages of the same archive)
	pp_apt_get -qq -o Dir::State::status="$tmp/tree/var/lib/dpkg/status" \
		-o Dir::Cache::archives="$tmp/debs" -o Debug::NoLocking=1 \
		install -y --download-only --no-install-recommends "${GUEST_PACKAGES[@]}" >"$tmp/apt.log" 2>&1 ||
		{ cat "$tmp/apt.log" >&2; vm_die "cannot download ${GUEST_PACKAGES[*]}"; }
	mkdir -p "$tmp/tree/tmp/debs"
	cp "$tmp"/debs/*.deb "$tmp/tree/tmp/debs/"
	# dpkg -i does not order pre-dependencies (python3 pre-depends on a
	# configured python3-minimal, which depends on python3.11-minimal):
	# each pass installs what the one before could not.
	chroot "$tmp/tree" sh -c 'for pass in 1 2 3; do dpkg -i /tmp/debs/*.deb && exit 0; done
		dpkg -i /tmp/debs/*.deb' \
		>"$tmp/dpkg.log" 2>&1 ||
		{ tail -n 30 "$tmp/dpkg.log" >&2; vm_die "installing ${GUEST_PACKAGES[*]} in the image's tree failed"; }
	chroot "$tmp/tree" dpkg-query -W -f '${Status}\n' "${GUEST_PACKAGES[@]}" | grep -qvx 'install ok installed' &&
		vm_die "${GUEST_PACKAGES[*]} not installed in the image's tree"

	rm -rf "$tmp/tree/tmp/debs"
	chroot "$tmp/tree" python3 -c 'import json, ssl, hashlib' ||
		vm_die "python3 in the image's tree does not run"
	truncate -s "$(stat -c %s "$base/disk.img")" "$tmp/disk.img"
	mkfs.ext4 -q -L debian-vm -d "$tmp/tree" -F "$tmp/disk.img" || vm_die "mkfs.ext4 -d failed"
	cp -a "$base/id_root" "$base/id_operator" "$base/known_hosts" "$tmp/"
	rm -rf "$tmp/debs" "$tmp/apt"
	echo "$want" >"$tmp/inputs"
	rm -rf "$img"
	mv "$tmp" "$img"
	vm_log "image with ${GUEST_PACKAGES[*]} built in $((SECONDS - t0)) s"
}
# shellcheck disable=SC2317 # run through vm_locked
ansible_image_ensure() {
	local base img=$VM_CACHE/debian-image-ansible want
	base=$("$VM_DIR/mkimage.sh") || vm_die "no Debian image"
	want="$(cat "$base/inputs") ${GUEST_PACKAGES[*]} $IMAGE_FORMAT"
	if [[ ! -s $img/disk.img || $(cat "$img/inputs" 2>/dev/null) != "$want" ]]; then
		ansible_image_build "$base" "$want" >&2
	fi
}

echo "== the image"
t=$SECONDS
vm_need_pkgs qemu-system-x86 qemu-utils openssh-client iproute2 util-linux e2fsprogs
vm_locked "$VM_CACHE/.lock-debian-image-ansible" ansible_image_ensure
IMAGE=$VM_CACHE/debian-image-ansible
echo "== the image: $IMAGE ($(secs "$t"))"

# ------------------------------------------------------------ the guests

# A guest in $out/guest-NAME on the Python image with a 4 GiB NVDIMM with
# a label area: the overlay disk on the Python image instead of
# mkimage.sh's.  Each QEMU holds its own lock: the machine's lock is the
# script's, for both together.
guest_init() {
	use "$1"
	DVM_LOCK=$out/guest-$1.lock
	dvm_init "$out/guest-$1"
	DVM_IMAGE=$IMAGE
	qemu-img create -q -f qcow2 -F raw -b "$IMAGE/disk.img" "$DVM_RUN/disk.qcow2" ||
		vm_die "cannot create the overlay disk"
	dvm_nvdimm 4098M,label
}

# The kernel's view, one fact a line, into $1: /proc/iomem, each memory
# block's state and zones, auto_online_blocks, MemTotal, ndctl's and
# daxctl's lists, the label areas.  What a change that changes nothing must
# leave as it was.
STATE_SCRIPT='{ cat /proc/iomem
	for m in /sys/devices/system/memory/memory*; do
		echo "${m##*/} $(cat $m/state) $(cat $m/valid_zones)"
	done | sort -V
	echo "policy $(cat /sys/devices/system/memory/auto_online_blocks)"
	echo "block_size_bytes $(cat /sys/devices/system/memory/block_size_bytes)"
	grep MemTotal: /proc/meminfo
	ndctl list -RNDi; daxctl list -D; ndctl read-labels -j nmem0; } 2>&1'
state() { dvm_ssh "$STATE_SCRIPT" >"$1" 2>&1; }

# The 6.1 guest's data: fresh labels, an fsdax namespace of 512 MiB with
# ext4 and a file of random data on it (its sha256 kept), unmounted, the
# rest of the region free.
make_data() {
	dvm_ssh 'set -e
		ndctl disable-region all >/dev/null
		ndctl init-labels -f all >/dev/null
		ndctl enable-region all >/dev/null
		ndctl create-namespace -r region0 -m fsdax -s 512M -n data >/dev/null
		mkfs.ext4 -q -b 4096 /dev/pmem0
		mkdir -p /mnt/data
		mount /dev/pmem0 /mnt/data
		head -c 64M /dev/urandom >/mnt/data/payload
		sha256sum /mnt/data/payload | cut -d" " -f1 >/root/payload.sha256
		umount /mnt/data
		cat /root/payload.sha256' >"$out/data-$1" 2>"$out/data-$1.err"
}

# The namespace named data in ndctl's list ($1, ndctl list -N), as
# "UUID BLOCKDEV MODE SIZE".
data_ns() {
	jq -r '[.] | flatten | .[] | select(.name == "data") |
		"\(.uuid) \(.blockdev) \(.mode) \(.size)"' "$1"
}

echo "== the guests: ${KERNEL[a]} (fresh NVDIMM) and ${KERNEL[b]} (a data namespace)"
t=$SECONDS
for g in "${GUESTS[@]}"; do
	guest_init "$g"
done
use a
# Both guests up together: the machine's VM lock for the whole session.
exec 8>"$GLOBAL_LOCK"
t_lock=$SECONDS
flock 8
lock_wait=$((SECONDS - t_lock))
echo "== the VM lock after $lock_wait s"
t_boot=$SECONDS
booted=()
for g in "${GUESTS[@]}"; do
	use "$g"
	dvm_start "${KERNEL[$g]}"
	if [[ -n ${PMEMPLAN_VM_ANSIBLE_SERIAL:-} ]]; then
		dvm_wait_ssh && booted+=("$g") || fail "$g (${KERNEL[$g]}): no ssh login"
	fi
done
if [[ -z ${PMEMPLAN_VM_ANSIBLE_SERIAL:-} ]]; then
	for g in "${GUESTS[@]}"; do
		use "$g"
		dvm_wait_ssh && booted+=("$g") || fail "$g (${KERNEL[$g]}): no ssh login"
	done
fi
echo "== both guests booted ${PMEMPLAN_VM_ANSIBLE_SERIAL:+one after the other }in $(secs "$t_boot")"
if ((${#booted[@]} != ${#GUESTS[@]})); then
	vm_finish_early=1
fi

if [[ -z ${vm_finish_early:-} ]]; then
	for g in "${GUESTS[@]}"; do
		use "$g"
		k=${KERNEL[$g]}
		dvm_scp "$deb" /tmp/ && dvm_ssh "cd /tmp && apt install -y ./${deb##*/}" >"$out/install-$g" 2>&1 &&
			dvm_ssh 'command -v pmemplan && python3 --version && uname -r' >>"$out/install-$g" 2>&1 &&
			ok "$g ($k): apt install ./${deb##*/} (offline); $(tail -n 2 "$out/install-$g" | paste -sd ' ')" ||
			{ fail "$g ($k): the package or python3 is missing"; show_file "$out/install-$g"; }
	done
	use b
	make_data b && [[ $(wc -l <"$out/data-b") == 1 ]] &&
		dvm_ssh ndctl list -N >"$out/ns-b-before" && [[ -n $(data_ns "$out/ns-b-before") ]] &&
		ok "b (${KERNEL[b]}): fsdax namespace 'data' 512 MiB, ext4, a 64 MiB file, sha256 $(head -c 16 "$out/data-b")..." ||
		{ fail "b: making the data namespace failed"; show_file "$out/data-b"; show_file "$out/data-b.err"; }
fi
echo "== guests ready: $(secs "$t")"

# ------------------------------------------------------------ the playbook

# The inventory: both guests over ssh on 127.0.0.1, as root with its key,
# the host key under debian-vm.sh's alias.
inventory() {
	local g
	echo "[pmem]"
	for g in "${GUESTS[@]}"; do
		use "$g"
		printf '%s ansible_host=127.0.0.1 ansible_port=%s ansible_user=root ansible_ssh_private_key_file=%s ansible_python_interpreter=/usr/bin/python3 kernel=%s\n' \
			"$g" "$DVM_PORT" "$IMAGE/id_root" "${KERNEL[$g]}"
	done
	echo
	echo "[pmem:vars]"
	echo "ansible_ssh_common_args='-o HostKeyAlias=$DVM_ALIAS -o UserKnownHostsFile=$IMAGE/known_hosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes'"
}

if [[ -z ${vm_finish_early:-} ]]; then
	echo "== the playbook: both guests, one inventory, one run"
	t=$SECONDS
	st=$out/state
	for g in "${GUESTS[@]}"; do
		mkdir -p "$st/$g"
		use "$g"
		state "$st/$g/ssh-before"
		[[ $g != b ]] || dvm_ssh cat /root/payload.sha256 >"$st/b/sha-before"
	done
	inventory >"$out/inventory"
	jq -n --arg d "$st" --arg s "$STATE_SCRIPT" '{state_dir: $d, state_script: $s}' >"$out/vars.json"
	rc=0
	ANSIBLE_PIPELINING=1 ANSIBLE_HOST_KEY_CHECKING=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
		ANSIBLE_LOCAL_TEMP=$out/tmp ANSIBLE_STDOUT_CALLBACK=default \
		ansible-playbook -i "$out/inventory" -e "@$out/vars.json" --diff "$PLAYBOOK" \
		>"$out/playbook.log" 2>&1 || rc=$?
	t_play=$(secs "$t")
	recap=$(sed -n '/^PLAY RECAP/,$p' "$out/playbook.log" | sed -n '2,$p' | tr -s ' ' | paste -sd ';')
	((rc == 0)) && ok "ansible-playbook --diff: exit 0 in $t_play ($recap)" ||
		{ fail "ansible-playbook exit $rc"; show_file "$out/playbook.log" 40; }
	# README.md's playbook as it stands, on the hosts laid out now:
	# nothing to do, nothing changed
	t=$SECONDS
	ANSIBLE_PIPELINING=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCAL_TEMP=$out/tmp \
		ansible-playbook -i "$out/inventory" "$out/readme-pmem.yml" >"$out/readme.log" 2>&1 &&
		[[ $(grep -Ec '^[ab] +: ok=[1-9][0-9]* +changed=0 +unreachable=0 +failed=0' "$out/readme.log") == 2 ]] &&
		ok "README.md's playbook on both: ok, changed=0 ($(secs "$t"))" ||
		{ fail "README.md's playbook on the applied guests"; show_file "$out/readme.log" 20; }
	for g in "${GUESTS[@]}"; do
		use "$g"
		state "$st/$g/ssh-after"
		[[ $g == b ]] || continue
		dvm_ssh ndctl list -N >"$out/ns-b-after" 2>&1 || :
		read -r _ dev _ _ <<<"$(data_ns "$out/ns-b-after")" || :
		dvm_ssh "mount /dev/${dev:-none} /mnt/data && sha256sum /mnt/data/payload | cut -d' ' -f1;
			umount /mnt/data" >"$st/b/sha-after" 2>&1 || :
	done
fi

# ------------------------------------------------------------ the verdict

# The "System RAM (kmem)" ranges of a state file's /proc/iomem, as
# "START END" (decimal, END exclusive), and their sum.
kmem_ranges() {
	local s e
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM (kmem)$/\1 \2/p' "$1" |
		while read -r s e; do
			echo "$((16#$s)) $((16#$e + 1))"
		done
}
kmem_bytes() {
	local s e n=0
	while read -r s e; do
		n=$((n + e - s))
	done < <(kmem_ranges "$1")
	echo "$n"
}
memtotal_kb() { awk '/^MemTotal:/ { print $2 }' "$1"; }
# Every memory block inside the kmem ranges: "online Movable" each, and how
# many; "bad memoryN ..." for any that is not.
kmem_blocks() {
	local f=$1 b s e n
	b=$((16#$(awk '/^block_size_bytes / { print $2 }' "$f")))
	while read -r s e; do
		for ((n = s / b; n * b < e; n++)); do
			grep -E "^memory$n " "$f" || echo "bad memory$n missing"
		done
	done < <(kmem_ranges "$f") | awk '$2 == "online" && $3 == "Movable" { ok++; next }
		{ print "bad " $0 } END { print "blocks " ok + 0 }'
}
# jq on a result the playbook kept: jqr HOST NAME FILTER
jqr() { jq -r "$3" "$st/$1/$2.json" 2>/dev/null; }
same() { cmp -s "$1" "$2"; }

judge() {
	local g=$1 k=${KERNEL[$1]} d=$st/$1 kmem pred gain mt0 mt1 blocks bs
	echo "== $g ($k)"
	[[ $(jqr "$g" facts '.platform.kernel') == "$k".* ]] &&
		ok "facts: kernel $(jqr "$g" facts '.platform.kernel'), $(jqr "$g" facts '[.regions[].dev] | join(" ")')" ||
		{ fail "$g: the facts are not this guest's kernel $k"; show_file "$d/facts.json" 10; }
	"$VM_DIR/check-show.sh" "$d/facts.json" "$d/state-before" >"$d/check-show" 2>&1 &&
		ok "facts = the kernel's /proc/iomem (check-show.sh: $(grep -c '^  ok' "$d/check-show") checks)" ||
		{ fail "$g: facts against /proc/iomem"; grep -v '^  ok' "$d/check-show" | sed 's/^/    /' || :; }
	same "$d/ssh-before" "$d/state-before" &&
		ok "the playbook's view of the kernel = ssh's, before" ||
		{ fail "$g: the playbook read another kernel state than ssh"; show_diff "$d/ssh-before" "$d/state-before"; }
	[[ $(jqr "$g" check '.changed') == true && $(jqr "$g" check '.status') == planned &&
		$(jqr "$g" check '.operations | length') -gt 0 ]] &&
		ok "check mode: changed, $(jqr "$g" check '.operations | length') operations ($(jqr "$g" check '[.operations[].op] | unique | join(", ")'))" ||
		{ fail "$g: check mode reports no work"; show_file "$d/check.json" 20; }
	[[ $(jqr "$g" refused '.rc') == 3 && $(jqr "$g" refused '.msg') == *"exit 3"*"needs root"*"force"* ]] &&
		ok "as operator: exit 3, \"$(jqr "$g" refused '.msg' | cut -c1-150)...\"" ||
		{ fail "$g: the unprivileged run did not fail with pmemplan's exit 3"; show_file "$d/refused.json" 20; }
	[[ $(jqr "$g" locked '.rc') == 3 && $(jqr "$g" locked '.msg') == *"another pmemplan apply is running"*"force=true"* ]] &&
		ok "another apply holding the lock: exit 3, \"$(jqr "$g" locked '.msg' | cut -c1-100)...\"" ||
		{ fail "$g: the run beside another apply did not fail with pmemplan's exit 3"; show_file "$d/locked.json" 20; }
	case $g in
	a) [[ $(jqr "$g" locked '.msg') == *"plan with --force is the same"* ]] ;;
	b) [[ $(jqr "$g" locked '.msg') == *"--force would run region0: destroy-namespace namespace0.0"*"data there is lost"* ]] ;;
	esac && ok "what force=true would do: \"...$(jqr "$g" locked '.msg' | sed 's/.*running\. //' | cut -c1-200)\"" ||
		{ fail "$g: the refusal does not say what force would do"; jqr "$g" locked '.msg' | sed 's/^/    | /'; }
	same "$d/state-before" "$d/state-checked" &&
		ok "check mode and the refusals changed nothing: /proc/iomem, blocks, namespaces, labels, MemTotal" ||
		{ fail "$g: the kernel changed in check mode"; show_diff "$d/state-before" "$d/state-checked"; }
	[[ $(jqr "$g" applied '.changed') == true && $(jqr "$g" applied '.status') == applied &&
		$(jqr "$g" applied '.diff.before != .diff.after') == true ]] &&
		ok "apply: changed, $(jqr "$g" applied '.pmemplan.apply.steps') steps; the diff: $(jqr "$g" applied '.diff.after' | grep -m1 '^totals')" ||
		{ fail "$g: the apply"; show_file "$d/applied.json" 30; }
	[[ $(jqr "$g" applied '[.operations[].op]') == "$(jqr "$g" check '[.operations[].op]')" ]] &&
		ok "apply ran the operations check mode listed" ||
		{ fail "$g: apply's operations are not check mode's"; }
	kmem=$(kmem_bytes "$d/state-applied") pred=$(jqr "$g" check '.pmemplan.totals.kmem')
	((kmem > 0 && kmem == pred)) &&
		ok "/proc/iomem: System RAM (kmem) $((kmem >> 20)) MiB = check mode's prediction" ||
		{ fail "$g: kmem in /proc/iomem $kmem, predicted $pred"; grep -i 'kmem\|persistent' "$d/state-applied" | sed 's/^/    /' || :; }
	blocks=$(kmem_blocks "$d/state-applied")
	bs=$((16#$(awk '/^block_size_bytes / { print $2 }' "$d/state-applied")))
	[[ $blocks != *bad* && $blocks == "blocks $((kmem / bs))" && $kmem -gt 0 ]] &&
		ok "every block of it online in ZONE_MOVABLE ($blocks of $((bs >> 20)) MiB)" ||
		{ fail "$g: blocks not online movable"; printf '    %s\n' "$blocks" | head; }
	mt0=$(memtotal_kb "$d/state-before") mt1=$(memtotal_kb "$d/state-applied")
	gain=$(jqr "$g" check '.pmemplan.totals.ram_gain')
	(((mt1 - mt0) * 1024 - gain < 1048576 && gain - (mt1 - mt0) * 1024 < 1048576)) &&
		ok "MemTotal grew by $(((mt1 - mt0) >> 10)) MiB (predicted $((gain >> 20)) MiB)" ||
		{ fail "$g: MemTotal grew $((mt1 - mt0)) kB, predicted $gain bytes"; }
	[[ $(jqr "$g" again '.changed') == false && $(jqr "$g" again '.status') == "nothing to do" &&
		$(jqr "$g" again '.operations | length') == 0 &&
		$(jqr "$g" check_again '.changed') == false && $(jqr "$g" check_again '.operations | length') == 0 ]] &&
		ok "second run: changed false (nothing to do), check mode too" ||
		{ fail "$g: the second run is not idempotent"; show_file "$d/again.json" 20; }
	same "$d/state-applied" "$d/state-again" && same "$d/state-again" "$d/ssh-after" &&
		ok "the kernel after the second run = after the first (also over ssh)" ||
		{ fail "$g: the second run changed the kernel"; show_diff "$d/state-applied" "$d/state-again"; show_diff "$d/state-again" "$d/ssh-after"; }
}

if [[ -z ${vm_finish_early:-} ]]; then
	for g in "${GUESTS[@]}"; do
		judge "$g"
	done
	use a
	dvm_ssh 'grep -c "^\[reconfigure-device" /etc/daxctl.conf.d/pmemplan.conf' >"$out/conf-a" 2>&1 &&
		ok "a: write_config: /etc/daxctl.conf.d/pmemplan.conf, $(cat "$out/conf-a") section(s)" ||
		{ fail "a: no pmemplan.conf"; show_file "$out/conf-a"; }
	read -r u0 _ m0 s0 <<<"$(data_ns "$out/ns-b-before")" || :
	read -r u1 _ m1 s1 <<<"$(data_ns "$out/ns-b-after")" || :
	[[ -n ${u0:-} && $u0 == "${u1:-}" && $m0 == fsdax && $m1 == fsdax && $s0 == "$s1" ]] &&
		ok "b: the data namespace kept: uuid $u0, fsdax, $((s1 >> 20)) MiB" ||
		{ fail "b: the data namespace changed: before $u0 $m0 $s0, after ${u1:-none} ${m1:-} ${s1:-}"; }
	[[ -s $st/b/sha-before && $(cat "$st/b/sha-before") == "$(cat "$st/b/sha-after")" ]] &&
		ok "b: its file's sha256 unchanged" ||
		{ fail "b: the file's sha256 changed"; show_file "$st/b/sha-after"; }
	t=$SECONDS
	for g in "${GUESTS[@]}"; do
		use "$g"
		dvm_poweroff || fail "$g: no clean poweroff"
	done
	echo "== poweroff: $(secs "$t")"
fi
finish
