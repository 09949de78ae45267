#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The digest of what an emulated NVDIMM holds, from its backing file.

    nvdimm-digest.py FILE BASE [START-END ...]

FILE is a QEMU memory-backend-file of an NVDIMM (share=on: what the guest
has stored is in the host's page cache at once, a power cut cannot lose
it); BASE is the guest physical address where its first byte is (the
region's start: its label area, at the end of the file, has no address).
Every START-END (hexadecimal guest physical addresses, inclusive, as
/proc/iomem prints them) is left out: memory the guest's kernel uses as
System RAM changes all the time and is not layout.  Holes in the sparse
file are skipped without reading them (SEEK_DATA), and every 4 KiB block
that holds only zeros counts as a hole: the digest is that of every other
block with its offset.

Prints the SHA-256 of the rest: two equal digests mean the media holds the
same bytes, so the kernel finds the same labels, info blocks and data at
the next boot.
"""
import hashlib
import os
import sys

BLOCK = 4096
CHUNK = 1 << 20
ZERO = bytes(CHUNK)


def data_extents(fd, size):
    """(start, end) of every extent that is not a hole."""
    pos = 0
    while pos < size:
        try:
            start = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError:
            return
        end = os.lseek(fd, start, os.SEEK_HOLE)
        yield start, end
        pos = end


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: nvdimm-digest.py FILE BASE [START-END ...]\n")
        return 2
    path, base = argv[1], int(argv[2], 16)
    skip = []
    for r in argv[3:]:
        s, e = (int(x, 16) for x in r.split("-"))
        skip.append((s - base, e + 1 - base))
    skip.sort()
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY)
    size = os.fstat(fd).st_size
    for start, end in data_extents(fd, size):
        # cut the extent around the skipped ranges
        pieces = [(start, end)]
        for s, e in skip:
            nxt = []
            for a, b in pieces:
                if e <= a or s >= b:
                    nxt.append((a, b))
                    continue
                if a < s:
                    nxt.append((a, s))
                if e < b:
                    nxt.append((e, b))
            pieces = nxt
        for a, b in pieces:
            os.lseek(fd, a, os.SEEK_SET)
            while a < b:
                buf = os.read(fd, min(b - a, CHUNK))
                if not buf:
                    break
                if buf != ZERO[:len(buf)]:
                    for off in range(0, len(buf), BLOCK):
                        blk = buf[off:off + BLOCK]
                        if blk != ZERO[:len(blk)]:
                            h.update((a + off).to_bytes(8, "little"))
                            h.update(blk)
                a += len(buf)
    os.close(fd)
    print(h.hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
