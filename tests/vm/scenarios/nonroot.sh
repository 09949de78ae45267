# What an ordinary user gets (tests/vm/test-nonroot.sh judges it): a
# labelled 4 GiB NVDIMM with an fsdax and a devdax namespace, the devdax one
# bound to kmem, then every command run as nobody (show, plan).
. /etc/pmemplan-vm/common.sh
init_labels
ndctl create-namespace -r region0 -m fsdax -s 512M >/dev/null
ndctl create-namespace -r region0 -m devdax -M dev -s 1G >/dev/null
bind_kmem

# The snapshot root makes, readable by everyone; and one only root can read.
pmemplan show --json >/tmp/root.json
echo "exit $?" >/tmp/root.rc
chmod 644 /tmp/root.json
cp /tmp/root.json /tmp/private.json
chmod 600 /tmp/private.json
section root-json
cat /tmp/root.json
cat /tmp/root.rc
section root-plan-input
pmemplan plan --input /tmp/root.json --json 2>&1
echo "exit $?"

# "section NAME" then what nobody got on stdout and stderr, then "exit N".
as_nobody() {
	section "$1"
	shift
	runas nobody pmemplan "$@" >/tmp/out 2>&1
	rc=$?
	cat /tmp/out
	echo "exit $rc"
}

as_nobody nonroot-human show
as_nobody nonroot-verbose show -v
as_nobody nonroot-json show --json
as_nobody nonroot-input show --input /tmp/root.json --json
as_nobody nonroot-input-human show --input /tmp/root.json
as_nobody nonroot-private show --input /tmp/private.json
as_nobody nonroot-plan plan
as_nobody nonroot-plan-json plan --json
as_nobody nonroot-plan-input plan --input /tmp/root.json --json

# apply as nobody refuses with exit 3 and says it needs root (that it
# changes nothing is checked by test-apply.sh against ndctl list and iomem)
as_nobody nonroot-apply apply --target kmem
