#!/bin/bash
# In "make check" in place of the unit tests when configure found no cmocka
# (--with-cmocka=auto) or was told --with-cmocka=no: a SKIP in the summary
# names what was not run, instead of twelve tests silently missing.
echo "the unit tests (tests/unit/test_*) were not built: configure ran without cmocka;"
echo "install the Debian package libcmocka-dev and configure again (--with-cmocka=yes requires it)"
exit 77
