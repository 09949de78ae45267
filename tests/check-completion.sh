#!/usr/bin/env bash
# The bash completion (contrib/bash-completion/pmemplan) offers the right
# words, judged from pmemplan itself: the commands and each command's
# options are the ones its --help lists, every value offered for an option
# is one pmemplan accepts and the set is the one its error message names,
# the columns are show --help's, and region and namespace names come from
# libnvdimm's device list (a fake one here, with an idle namespace seed
# that must not be offered).  The completion runs in a plain bash, as the
# loader of bash-completion would call it: COMP_WORDS and COMP_CWORD set,
# the function called, COMPREPLY read.
#
#   PMEMPLAN=build/pmemplan SRCDIR=. tests/check-completion.sh   (make check)
set -euo pipefail

: "${PMEMPLAN:?set PMEMPLAN to the pmemplan executable}" "${SRCDIR:?set SRCDIR to the source tree}"
src=$(cd "$SRCDIR" && pwd)
comp=$src/contrib/bash-completion/pmemplan
# 6.12 with memmap_on_memory: every planner value applies to it
snap=$src/tests/snapshots/x86-612-memmap-on-memory.json
fail=0 checks=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A /sys/bus/nd/devices of two regions; namespace1.0 is region1's seed.
nd=$tmp/nd
mkdir -p "$nd"/{ndbus0,nmem0,region0,region1,namespace0.0,namespace0.1,namespace1.0,dax0.1,pfn0.0,btt0.0}
echo 536870912 >"$nd/namespace0.0/size"
echo 1073741824 >"$nd/namespace0.1/size"
echo 0 >"$nd/namespace1.0/size"
# and a /sys/bus/dax/devices
dax=$tmp/dax
mkdir -p "$dax"/{dax0.1,dax1.0}

ok() { checks=$((checks + 1)); echo "  ok   $*"; }
bad() { checks=$((checks + 1)); fail=1; echo "  FAIL $*"; }

# offered WORD...: what the completion offers, sorted, one a line, for the
# command line WORD... with the cursor at the end of the last word ('' for
# a new word).  Words are given as bash splits them: "--zone=mo" is the
# three words --zone = mo (COMP_WORDBREAKS has '=').
offered() {
	(cd "$tmp" && bash --norc --noprofile -c '
		set -u
		. "$1"
		shift
		_pmemplan_nd_devices() { echo "$ND"; }
		_pmemplan_dax_devices() { echo "$DAX"; }
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_pmemplan pmemplan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@") 2>&1 | sed '/^$/d' | sort
}

# expect WHAT WANTED OFFERED: both word lists (any spacing), compared sorted.
expect() {
	local want got
	want=$(tr -s ' ' '\n' <<<"$2" | sed '/^$/d' | sort -u | paste -sd ' ')
	got=$(sed '/^$/d' <<<"$3" | sort -u | paste -sd ' ')
	if [[ $want == "$got" ]]; then
		ok "$1: $got"
	else
		bad "$1: wanted '$want', offered '$got'"
	fi
}

# The options a --help text lists: lines indented 2 to 6 columns starting
# with '-', the option column (up to two spaces), split at ", ", each name
# without its "=VALUE" or "[=VALUE]".
help_options() {
	"$PMEMPLAN" "$@" --help | sed -n '/^Options:/,/^$/p' |
		grep -E '^ {2,6}-' | sed -E 's/^ +//; s/  .*//' | tr ',' '\n' |
		sed -E 's/^ +//; s/(\[|=).*//' | sed '/^$/d' | sort -u
}

ND=$nd DAX=$dax
export ND DAX

echo "commands and options against --help"
cmds=$("$PMEMPLAN" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
expect "pmemplan <TAB>" "$cmds" "$(offered pmemplan '')"
expect "pmemplan -<TAB>" "$(help_options)" "$(offered pmemplan -)"
expect "pmemplan s<TAB>" show "$(offered pmemplan s)"
for c in $cmds; do
	want=$(help_options "$c")
	[[ -n $want ]] || { bad "$c --help lists no option"; continue; }
	expect "pmemplan $c -<TAB>" "$want" "$(offered pmemplan "$c" -)"
	# after other options and values, still the command's options
	expect "pmemplan $c -b -r region0 --<TAB>" "$(grep -- '^--' <<<"$want")" \
		"$(offered pmemplan "$c" -b -r region0 --)"
done
expect "pmemplan apply --dr<TAB>" "--dram-percent --dry-run" "$(offered pmemplan apply --dr)"

echo "values: what pmemplan accepts, and all of it"
# the values pmemplan's message for a bad value names: "use a, b or c",
# "(use a, b or c)" or "only 'a' is supported"
named_values() {
	local msg
	msg=$("$PMEMPLAN" "$@" 2>&1 >/dev/null) && return 1
	sed -E "s/.*only '([^']*)' is supported.*/\1/; t; s/.*\(?use ([^)]*)\)?$/\1/" <<<"$msg" |
		sed -E 's/, | or /\n/g'
}
for spec in plan:--target plan:--memmap plan:--zone show:--arch show:--auto-online \
	show:--memmap-on-memory; do
	c=${spec%%:*} o=${spec#*:}
	words=$(offered pmemplan "$c" "$o" '')
	expect "pmemplan $c $o <TAB>" "$(named_values "$c" --input "$snap" "$o=bogus")" "$words"
	expect "pmemplan $c $o=<TAB>" "$words" "$(offered pmemplan "$c" "$o" =)"
	for w in $words; do
		if "$PMEMPLAN" "$c" --input "$snap" "$o=$w" >/dev/null 2>&1; then
			ok "pmemplan $c $o=$w: exit 0"
		else
			bad "pmemplan $c $o=$w: offered, refused by pmemplan"
		fi
	done
done
expect "pmemplan apply --zone=mo<TAB> (one word)" "--zone=movable" \
	"$(offered pmemplan apply --zone=mo)"
expect "pmemplan apply --zone = mo<TAB>" movable "$(offered pmemplan apply --zone = mo)"

cols=$("$PMEMPLAN" show --help | sed -n '/^Columns:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
expect "pmemplan show -o <TAB>" "$cols" "$(offered pmemplan show -o '')"
expect "pmemplan show -o NAME,K<TAB>" "NAME,KMEM" "$(offered pmemplan show -o NAME,K)"
expect "pmemplan show --output=+ZO<TAB>" "+ZONE" "$(offered pmemplan show --output = +ZO)"
for w in $cols; do
	"$PMEMPLAN" show --input "$snap" -o "$w" >/dev/null 2>&1 ||
		bad "pmemplan show -o $w: offered, refused by pmemplan"
done
ok "show -o takes every offered column"

echo "regions and namespaces from the device list"
expect "pmemplan show -r <TAB>" "region0 region1" "$(offered pmemplan show -r '')"
expect "pmemplan plan --region=<TAB>" "region0 region1" "$(offered pmemplan plan --region =)"
expect "pmemplan apply --region=region1<TAB> (one word)" "--region=region1" \
	"$(offered pmemplan apply --region=region1)"
expect "pmemplan apply --reconfigure <TAB> (no idle seed)" "namespace0.0 namespace0.1" \
	"$(offered pmemplan apply --reconfigure '')"
expect "pmemplan plan --replace=namespace0.1<TAB>" namespace0.1 \
	"$(offered pmemplan plan --replace = namespace0.1)"

echo "apply --restore DAXDEV..., --remove-config: devices, -v and nothing else"
expect "pmemplan apply --restore <TAB>" "dax0.1 dax1.0" "$(offered pmemplan apply --restore '')"
expect "pmemplan apply --restore dax0.1 d<TAB>" "dax0.1 dax1.0" \
	"$(offered pmemplan apply --restore dax0.1 d)"
expect "pmemplan apply --restore=DIR <TAB>" "dax0.1 dax1.0" \
	"$(offered pmemplan apply --restore = "$tmp" '')"
expect "pmemplan apply --restore -<TAB>" "-v --verbose" "$(offered pmemplan apply --restore -)"
expect "pmemplan apply --remove-config -<TAB>" "-v --verbose" \
	"$(offered pmemplan apply --remove-config -)"
expect "pmemplan apply --remove-config <TAB>: nothing" "" "$(offered pmemplan apply --remove-config '')"
# what is offered is what pmemplan takes: -v after either, and dax names
# (refused here only for what the machine has: no file, no root)
mkdir "$tmp/conf"
echo '# no section' >"$tmp/conf/pmemplan.conf"
for words in "--restore=$tmp/conf -v" "--remove-config=$tmp/none -v"; do
	rc=0
	# shellcheck disable=SC2086 # two words
	"$PMEMPLAN" apply $words >/dev/null 2>&1 || rc=$?
	if [[ $rc == 0 ]]; then
		ok "pmemplan apply ${words/$tmp/TMP}: exit 0"
	else
		bad "pmemplan apply $words: offered, refused (exit $rc)"
	fi
done
msg=$("$PMEMPLAN" apply --restore="$tmp/none" dax0.1 /dev/dax1.0 2>&1 >/dev/null) || :
if [[ $msg == *"$tmp/none/pmemplan.conf: No such file"* ]]; then
	ok "pmemplan apply --restore dax0.1 /dev/dax1.0: the names taken, the file missing"
else
	bad "pmemplan apply --restore dax0.1 /dev/dax1.0: $msg"
fi

echo "free values and files"
for o in --size --region-align --dram-percent --block-size --kernel; do
	expect "pmemplan plan $o <TAB>: nothing" "" "$(offered pmemplan plan "$o" '')"
done
touch "$tmp/host42.json"
expect "pmemplan show --input h<TAB>" host42.json "$(offered pmemplan show --input h)"
expect "pmemplan show --input <TAB> includes -" - "$(offered pmemplan show --input '' | grep -x -- -)"
mkdir "$tmp/sysroot-6.12"
expect "pmemplan show --sysroot sys<TAB>" sysroot-6.12 "$(offered pmemplan show --sysroot sys)"
for o in --write-config --restore --remove-config; do
	expect "pmemplan apply $o=sys<TAB>" sysroot-6.12 "$(offered pmemplan apply "$o" = sys)"
done

if ((fail)); then
	echo "check-completion: FAILED ($checks checks)"
	exit 1
fi
echo "check-completion: $checks checks passed"
