# No persistent memory at all.
. /etc/pmemplan-vm/common.sh
section human
pmemplan show >/tmp/show.out 2>&1
rc=$?
cat /tmp/show.out
echo "exit $rc"
section json
pmemplan show --json
