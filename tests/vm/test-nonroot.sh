#!/usr/bin/env bash
# VM tests of pmemplan run by an ordinary user (nobody): Debian's kernels in
# QEMU with a labelled 4 GiB NVDIMM, an fsdax and a devdax namespace, the
# devdax one bound to kmem (guest script: scenarios/nonroot.sh).  Checks
# that, as documented,
#   show              exits 0, prints the sizes, "physical layout unknown
#                     (needs root)" and a note saying addresses need root
#   show -v           exits 0 with the same note
#   show --json       exits 0, every resource null, sizes present,
#                     platform.root false, a note mentioning root
#   show --input F    on the snapshot root made: exits 0 and prints root's
#                     document again, addresses included (human view too)
#   show --input F    on a file nobody cannot read: exits 2, says why
#   plan              refuses (exit 1-3) in one line that names root
#   plan --input F    on root's snapshot: exits 0, the plan root gets
#
#   test-nonroot.sh PMEMPLAN_BINARY [KERNEL...]     (default kernels: 6.1 6.12)
#
# Exits 1 if any check fails; prints one line per check.
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_driver_init "$@"

# Section $2 of kernel $1's run: its lines, without the final "exit N".
body() { sed '$d' "$out/$1/$2"; }
# The exit status recorded at the end of section $2.
status() { sed -n '$s/^exit //p' "$out/$1/$2"; }

# Prints the section, indented, after a failed check on it.
show() { sed 's/^/    | /' "$out/$1/$2" | head -n 30; }

check_human() {
	local k=$1 s=nonroot-human
	[ "$(status "$k" $s)" = 0 ] && ok "show exits 0" ||
		{ fail "$k: show as nobody: exit $(status "$k" $s)"; show "$k" $s; }
	grep -q '^region0: 4 GiB, physical layout unknown (needs root)$' "$out/$k/$s" &&
		ok "show: region0: 4 GiB, physical layout unknown (needs root)" ||
		{ fail "$k: show as nobody: no size or no 'physical layout unknown (needs root)'"; show "$k" $s; }
	grep -Eq 'namespace0\.[0-9]+ +fsdax .* 512 MiB' "$out/$k/$s" &&
		grep -Eq 'namespace0\.[0-9]+ +devdax .* 1 GiB' "$out/$k/$s" &&
		ok "show: both namespaces with their sizes" ||
		{ fail "$k: show as nobody: namespaces or their sizes missing"; show "$k" $s; }
	grep -q '^note: .*root' "$out/$k/$s" && ok "show: a note says root is needed" ||
		{ fail "$k: show as nobody: no note mentioning root"; show "$k" $s; }
	s=nonroot-verbose
	[ "$(status "$k" $s)" = 0 ] && grep -q '^note: .*root' "$out/$k/$s" &&
		ok "show -v exits 0 with the note" ||
		{ fail "$k: show -v as nobody"; show "$k" $s; }
}

check_json() {
	local k=$1 s=nonroot-json
	[ "$(status "$k" $s)" = 0 ] && ok "show --json exits 0" ||
		{ fail "$k: show --json as nobody: exit $(status "$k" $s)"; show "$k" $s; }
	if body "$k" $s | jq -e '
		(.platform.root == false) and
		([.regions[].resource, .regions[].namespaces[].resource] | all(. == null)) and
		([.regions[].namespaces[].dax | select(. != null) | .resource] | all(. == null)) and
		(.regions | length == 1) and (.regions[0].size == 4294967296) and
		([.regions[0].namespaces[].size] | sort == [536870912, 1073741824]) and
		(.notes | any(test("root")))' >/dev/null 2>&1; then
		ok "show --json: resources null, sizes present, root false, note on root"
	else
		fail "$k: show --json as nobody: addresses shown, sizes missing or no note"
		show "$k" $s
	fi
}

check_input() {
	local k=$1 s=nonroot-input
	[ "$(status "$k" root-json)" = 0 ] || { fail "$k: show --json as root failed"; show "$k" root-json; return; }
	body "$k" root-json | jq -e '[.regions[].resource] | all(. != null)' >/dev/null 2>&1 ||
		{ fail "$k: the root snapshot has no addresses"; return; }
	[ "$(status "$k" $s)" = 0 ] && ok "show --input ROOT.json --json exits 0" ||
		{ fail "$k: show --input as nobody: exit $(status "$k" $s)"; show "$k" $s; }
	if cmp -s <(body "$k" root-json) <(body "$k" $s); then
		ok "show --input ROOT.json --json: root's document again, addresses and all"
	else
		fail "$k: show --input as nobody differs from root's show --json"
		diff <(body "$k" root-json) <(body "$k" $s) | head -n 20 | sed 's/^/    /'
	fi
	s=nonroot-input-human
	[ "$(status "$k" $s)" = 0 ] && grep -q '0x[0-9a-f]\{9\}' "$out/$k/$s" &&
		! grep -q 'needs root' "$out/$k/$s" &&
		ok "show --input ROOT.json: exit 0, addresses shown" ||
		{ fail "$k: show --input (human) as nobody"; show "$k" $s; }
	s=nonroot-private
	[ "$(status "$k" $s)" = 2 ] && grep -q 'cannot open snapshot .*Permission denied' "$out/$k/$s" &&
		ok "show --input on an unreadable file: exit 2, Permission denied" ||
		{ fail "$k: show --input on a 0600 file as nobody"; show "$k" $s; }
}

# plan needs the physical layout: as nobody it must refuse in one line that
# says to run as root (exit 1-3), and plan from root's snapshot as root does.
check_plan() {
	local k=$1 s rc
	for s in nonroot-plan nonroot-plan-json; do
		rc=$(status "$k" $s)
		if [[ $rc =~ ^[123]$ ]] && [ "$(body "$k" $s | wc -l)" = 1 ] &&
			body "$k" $s | grep -q 'root'; then
			ok "${s#nonroot-}: refused (exit $rc) in one line naming root"
		else
			fail "$k: ${s#nonroot-} as nobody: exit $rc, or not one line naming root"
			show "$k" $s
		fi
	done
	s=nonroot-plan-input
	if [ "$(status "$k" root-plan-input)" = 0 ] && [ "$(status "$k" $s)" = 0 ] &&
		cmp -s <(body "$k" root-plan-input) <(body "$k" $s) &&
		body "$k" $s | jq -e '.command == "plan"' >/dev/null 2>&1; then
		ok "plan --input ROOT.json --json: exit 0, the same plan as root's"
	else
		fail "$k: plan --input as nobody: exit $(status "$k" $s), or not root's plan"
		diff <(body "$k" root-plan-input) <(body "$k" $s) | head -n 20 | sed 's/^/    /'
	fi
}

for k in "${kernels[@]}"; do
	dir=$out/$k current=$k
	t0=$SECONDS rc=0
	vm_boot "$dir" --kernel "$k" --mem 1G --nvdimm 4098M,label \
		--script "$here/scenarios/nonroot.sh" || rc=$?
	echo "== $k nonroot: guest exit $rc, $((SECONDS - t0)) s"
	if [ "$rc" != 0 ]; then
		fail "$k: guest script failed"
		tail -n 20 "$dir/console" | sed 's/^/    /'
		continue
	fi
	absent=0
	for s in root-json root-plan-input nonroot-human nonroot-verbose nonroot-json \
		nonroot-input nonroot-input-human nonroot-private nonroot-plan \
		nonroot-plan-json nonroot-plan-input; do
		[ -s "$dir/$s" ] || { fail "$k: no $s section"; absent=1; }
	done
	((absent)) && { tail -n 20 "$dir/console" | sed 's/^/    /'; continue; }
	check_human "$k"
	check_json "$k"
	check_input "$k"
	check_plan "$k"
	if grep -qx 'exit 3' "$dir/nonroot-apply" &&
	   grep -q 'needs root' "$dir/nonroot-apply"; then
		ok "$k: apply as nobody: exit 3, \"$(head -n 1 "$dir/nonroot-apply")\""
	else
		fail "$k: apply as nobody did not refuse with exit 3 naming root"
		sed 's/^/    /' "$dir/nonroot-apply"
	fi
done

vm_finish non-root
