// SPDX-License-Identifier: GPL-2.0
/* Block devices: the O_EXCL busy test and the libblkid signature probe. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <blkid.h>
#include "util/util.h"
#include "system/blkdev.h"

int pp_bdev_busy(const char *path)
{
	int fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno == EBUSY ? 1 : -errno;
}

int pp_bdev_signature(const char *path, char *sig, size_t len)
{
	const char *v = "";
	blkid_probe pr;
	int rc;

	errno = 0;
	pr = blkid_new_probe_from_filename(path);
	if (!pr)
		return errno ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(pr, 1);
	rc = blkid_do_safeprobe(pr);
	if (rc == 0 && blkid_probe_lookup_value(pr, "TYPE", &v, NULL) &&
	    blkid_probe_lookup_value(pr, "PTTYPE", &v, NULL))
		v = "";
	else if (rc == -2)
		v = "(ambivalent)";
	if (rc != -1)
		pp_strscpy(sig, len, v);
	blkid_free_probe(pr);
	return rc == -1 ? -EIO : 0;
}
