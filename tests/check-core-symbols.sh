#!/bin/bash
# The layering, proven from the objects: nothing in the core library
# (lib/libpmemplan-core.a) may call the system libraries or read the
# system itself.  Fails naming the object and the symbol.  Run by
# "make check" with CORE_LIB and NM in the environment.
set -uo pipefail
: "${CORE_LIB:?set CORE_LIB to lib/libpmemplan-core.a}"
NM=${NM:-nm}

# The libraries of the system part, by prefix, and the calls that open,
# read or describe the running system.  stdio on a FILE * the caller
# opened (the snapshot reader) is allowed: the caller chose the file.
LIBS='ndctl_|daxctl_|cxl_new|cxl_unref|cxl_bus_|cxl_port_|cxl_decoder_|cxl_region_|cxl_set_|kmod_|blkid_|uuid_'
CALLS='open|open64|openat|openat64|fopen|fopen64|freopen|opendir|fdopendir|scandir|read|pread|pread64|readlink|readlinkat|stat|stat64|lstat|fstatat|access|faccessat|uname|sysconf|getuid|geteuid|glob|ioctl|mmap|write|pwrite|unlink|rename|mkdir'
bad=$("$NM" -A -u "$CORE_LIB" 2>/dev/null |
	awk '{ print $1, $NF }' |
	grep -E " (($LIBS).*|($CALLS))(@.*)?$")
n=$("$NM" -A -u "$CORE_LIB" | wc -l)
if [ "$n" = 0 ]; then
	echo "FAIL: $NM found no undefined symbols in $CORE_LIB: cannot judge it"
	exit 1
fi
if [ -n "$bad" ]; then
	echo "FAIL: the core library references the system:"
	printf '  %s\n' "$bad"
	exit 1
fi
echo "core symbols: $n undefined references checked, none to the system: ok"
