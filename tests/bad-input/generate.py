#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Regenerate tests/bad-input/NN-name.json and NN-name.expect.

Each case is one bad snapshot: "pmemplan show --input NN-name.json --json"
must exit 2 with a one-line error containing line 2 of NN-name.expect.
tests/unit/test_snapshot.c checks every .expect against the reader itself,
so a message changed in lib/snapshot.c fails there first.

Usage: tests/bad-input/generate.py [DIR]   (default: this directory)
Maintainer tool only; the generated files are committed.
"""
import copy, glob, json, os, sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
G, M = 1 << 30, 1 << 20

base = {
  "schema": 1,
  "totals": {"capacity": 4 * G + 2 * M, "kmem": 15 * 128 * M,
             "bound": 15 * 128 * M, "stranded": 0, "dram_memmap": 30 * M},
  "platform": {
    "arch": "x86_64", "kernel": "6.1.0-28-amd64",
    "kernel_version": "6.1.119", "page_size": 4096,
    "section_size": 128 * M, "block_size": 128 * M, "pageblock_order": 9,
    "struct_page_size": 64, "compat_align": 2 * M,
    "hpage_pmd_size": 2 * M,
    "supported_alignments": [4096, 2 * M, G],
    "memmap_on_memory": "N", "auto_online_blocks": "offline",
    "mem_total": 1002 * M, "mem_available": 900 * M, "numa_nodes": 1,
    "root": True,
    "source": {"arch": "uname", "kernel": "uname", "page_size": "uname",
               "section_size": "derived", "block_size": "sysfs",
               "pageblock_order": "derived",
               "struct_page_size": "derived", "compat_align": "derived",
               "hpage_pmd_size": "sysfs", "memmap_on_memory": "sysfs",
               "mem_total": "proc", "mem_available": "proc",
               "numa_nodes": "sysfs"}},
  "regions": [{
    "dev": "region0", "kind": "nfit", "resource": 4 * G,
    "size": 4 * G + 2 * M, "align": 16 * M, "interleave_ways": 1,
    "labelled": True, "enabled": True, "readonly": False,
    "numa_node": 0, "target_node": 1, "available_size": G,
    "max_available_extent": G, "capacity": 4 * G + 2 * M,
    "namespaces": [
      {"dev": "namespace0.0", "mode": "devdax", "map": "dev",
       "align": 2 * M, "resource": 4 * G, "size": 2 * G,
       "dataoff": 34 * M, "uuid": "1b3d5f7a-0c2e-4a6b-8d9f-0123456789ab",
       "name": "kmem0", "enabled": True,
       "dax": {"chardev": "dax0.0", "mode": "system-ram",
               "resource": 4 * G + 34 * M, "size": 2 * G - 34 * M,
               "align": 2 * M, "target_node": 1, "memmap_on_memory": 0,
               "online_memblocks": 15, "total_memblocks": 15,
               "zone": "Movable"},
       "kmem": {"start": 4 * G + 128 * M, "end": 6 * G, "blocks": 15,
                "bytes": 15 * 128 * M, "source": "measured"},
       "loss": {"info_block": 2 * M, "memmap": 32 * M,
                "head_gap": 94 * M, "tail_gap": 0}},
      {"dev": "namespace0.1", "mode": "fsdax", "map": "mem",
       "align": 2 * M, "resource": 6 * G, "size": G,
       "dataoff": 2 * M, "uuid": None, "name": None, "enabled": True,
       "kmem": {"start": None, "end": None, "blocks": 0, "bytes": 0,
                "source": "predicted"}}]}],
  "notes": []
}

def dump(doc):
    return (json.dumps(doc, indent=2) + "\n").encode()

BASE = dump(base)
cases = []

def case(name, data, msg):
    if isinstance(data, dict) or isinstance(data, list):
        data = dump(data)
    elif isinstance(data, str):
        data = data.encode()
    cases.append((name, data, msg))

def mod(fn):
    d = copy.deepcopy(base)
    fn(d)
    return d

def plat(**kw):
    return mod(lambda d: d["platform"].update(kw))

def reg(**kw):
    return mod(lambda d: d["regions"][0].update(kw))

def ns(i=0, **kw):
    return mod(lambda d: d["regions"][0]["namespaces"][i].update(kw))

def dax(**kw):
    return mod(lambda d: d["regions"][0]["namespaces"][0]["dax"].update(kw))

def delete(path):
    def f(d):
        o = d
        for k in path[:-1]:
            o = o[k]
        del o[path[-1]]
    return mod(f)

def raw_replace(old, new):
    assert BASE.count(old.encode()) == 1, old
    return BASE.replace(old.encode(), new.encode())

# --- not JSON at all -------------------------------------------------
case("empty", b"", "empty input: not a pmemplan snapshot")
case("whitespace", b" \n\t\n  \r\n", "empty input: not a pmemplan snapshot")
case("binary-garbage",
     b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00"
     + bytes((i * 37 + 11) % 256 for i in range(4096)),
     "malformed JSON at byte 0 (line 1, column 1)")
case("nul-byte", BASE[:200] + b"\x00" + BASE[200:],
     "malformed JSON at byte 200")
case("utf16", "\ufeff" .encode("utf-16-le") + BASE.decode().encode("utf-16-le"),
     "malformed JSON at byte 0")
case("truncated-1-byte", BASE[:1], "unexpected end of data")
case("truncated-in-key", BASE[:BASE.index(b'"platform"') + 5],
     "unexpected end of data")
case("truncated-in-number", BASE[:BASE.index(b'134217728') + 4],
     "unexpected end of data")
case("truncated-in-string", BASE[:BASE.index(b'6.1.0-28') + 3],
     "unexpected end of data")
case("truncated-half", BASE[:len(BASE) // 2], "unexpected end of data")
case("truncated-last-brace", BASE.rstrip()[:-1],
     "malformed JSON at byte %d" % (len(BASE.rstrip()) - 1))
case("nesting-64k", b"[" * (64 << 10),
     "malformed JSON at byte 32 (line 1, column 33): nesting too deep")
case("nesting-objects", '{"a":' * 40 + "1" + "}" * 40,
     "nesting too deep")
case("trailing-garbage", BASE + b"garbage\n",
     "trailing data after the JSON document")
case("two-documents", BASE + BASE, "trailing data after the JSON document")
case("trailing-comma", raw_replace('"numa_nodes": 1,', '"numa_nodes": 1,,'),
     "malformed JSON at byte")
case("comment", b"// pmemplan show --json\n" + BASE,
     "malformed JSON at byte 0 (line 1, column 1)")
case("invalid-utf8", BASE.replace(b'"kmem0"', b'"kmem\xff"'),
     "invalid utf-8 string")
case("single-quoted-value", raw_replace('"kind": "nfit"', "\"kind\": 'nfit'"),
     "malformed JSON at byte")

# --- JSON, but not a snapshot ----------------------------------------
case("top-level-array", [{"dev": "namespace0.0", "mode": "devdax"}],
     "not a pmemplan snapshot: expected a JSON object, got an array")
case("ndctl-list-output", {"regions": [{"dev": "region0", "size": 4 * G}]},
     'not a pmemplan snapshot: no "schema" key (expected the output of pmemplan show --json)')
case("schema-2", mod(lambda d: d.update(schema=2)),
     "unsupported schema 2: this pmemplan reads schema 1")
case("schema-string", mod(lambda d: d.update(schema="1")),
     'schema: expected an integer, got "1"')
case("no-platform", delete(["platform"]), "platform: required key is missing")
case("no-regions", delete(["regions"]), "regions: required key is missing")
case("regions-object", mod(lambda d: d.update(regions={"region0": {}})),
     "regions: expected an array, got an object")
case("notes-not-strings", mod(lambda d: d.update(notes=["ok", 5])),
     "notes[1]: expected a string, got 5")

# --- platform ----------------------------------------------------------
case("no-arch", delete(["platform", "arch"]),
     "platform.arch: required key is missing")
case("unknown-arch", plat(arch="sparc64"),
     'platform.arch: unknown architecture "sparc64"')
case("page-size-string", plat(page_size="4K"),
     'platform.page_size: expected a non-negative integer, got "4K"')
case("page-size-not-pow2", plat(page_size=4097),
     "platform.page_size: expected a power of two, got 4097")
case("page-size-too-big", plat(page_size=1 << 20),
     "platform.page_size: expected a power of two from 4096 to 65536, got 1048576")
case("block-size-not-pow2", plat(block_size=128 * M + 1),
     "platform.block_size: expected a power of two, got 134217729")
case("block-smaller-than-page", plat(page_size=65536, block_size=32768),
     "platform.block_size: smaller than page_size (32768 < 65536)")
case("section-size-not-pow2", plat(section_size=3 * 128 * M),
     "platform.section_size: expected a power of two, got 402653184")
case("pageblock-order", plat(pageblock_order=40),
     "platform.pageblock_order: expected at most 20, got 40")
case("compat-align-zero", plat(compat_align=0),
     "platform.compat_align: expected a power of two, got 0")
case("supported-alignment-not-pow2", plat(supported_alignments=[4096, 3 * M]),
     "platform.supported_alignments[1]: expected a power of two, got 3145728")
case("memmap-on-memory-bad", plat(memmap_on_memory="on"),
     'platform.memmap_on_memory: unknown memmap_on_memory value "on" (expected absent, N, Y or force)')
case("mem-total-negative", plat(mem_total=-1),
     "platform.mem_total: expected a non-negative integer, got -1")

# --- numbers json-c clamps ---------------------------------------------
case("size-2-pow-64", raw_replace('"size": 4297064448,', '"size": 18446744073709551616,'),
     "regions[0].size: integer too large (max 18446744073709551614)")
case("size-u64-max", raw_replace('"size": 4297064448,', '"size": 18446744073709551615,'),
     "regions[0].size: integer too large (max 18446744073709551614)")
case("size-huge-digits", raw_replace('"size": 4297064448,', '"size": ' + "9" * 400 + ","),
     "regions[0].size: integer too large")
case("resource-huge-negative", raw_replace('"resource": 4294967296,\n      "size"', '"resource": -99999999999999999999999,\n      "size"'),
     "regions[0].resource: expected a non-negative integer, got a negative number")
case("size-negative", reg(size=-4 * G),
     "regions[0].size: expected a non-negative integer, got -4294967296")
case("size-float", raw_replace('"size": 4297064448,', '"size": 4297064448.0,'),
     "regions[0].size: expected a non-negative integer, got 4297064448.0")
case("size-exponent", raw_replace('"size": 4297064448,', '"size": 4.297064448e9,'),
     "regions[0].size: expected a non-negative integer, got 4.297064448e9")
case("size-human", reg(size="4G"),
     'regions[0].size: expected a non-negative integer, got "4G"')

# --- regions -------------------------------------------------------------
case("region-no-dev", delete(["regions", 0, "dev"]),
     "regions[0].dev: required key is missing")
case("region-no-size", delete(["regions", 0, "size"]),
     "regions[0].size: required key is missing")
case("region-dev-too-long", reg(dev="region" + "0" * 40),
     "regions[0].dev: string too long (46 bytes, max 31)")
case("region-dev-control-char", reg(dev="region\n0"),
     "regions[0].dev: control character in string at offset 6")
case("region-kind-unknown", reg(kind="hyperv"),
     'regions[0].kind: unknown region kind "hyperv" (expected nfit, e820, virtio, papr_scm, of_pmem, cxl, nfit_test or other)')
case("region-align-not-pow2", reg(align=24 * M),
     "regions[0].align: expected a power of two, got 25165824")
case("interleave-ways-0", reg(interleave_ways=0),
     "regions[0].interleave_ways: expected an integer from 1 to 64, got 0")
case("interleave-ways-65", reg(interleave_ways=65),
     "regions[0].interleave_ways: expected an integer from 1 to 64, got 65")
case("region-end-overflow", reg(resource=(1 << 64) - 2 * G),
     "regions[0].size: resource + size exceeds 64 bits")
case("region-enabled-int", reg(enabled=1),
     "regions[0].enabled: expected true or false, got 1")
case("numa-node-out-of-range", reg(numa_node=-7),
     "regions[0].numa_node: expected an integer from -1 to 65535, got -7")
case("available-size-too-big", reg(available_size=8 * G),
     "regions[0].available_size: larger than the region")
case("duplicate-region", mod(lambda d: d["regions"].append(
        {"dev": "region0", "size": G})),
     'regions[1].dev: duplicate name "region0" (also regions[0].dev)')

def many_regions(d):
    d["regions"] = [{"dev": "region%d" % i, "size": G} for i in range(4097)]
case("too-many-regions", mod(many_regions),
     "regions: too many entries (max 4096)")

def many_ns(d):
    d["regions"][0]["namespaces"] = [
        {"dev": "namespace0.%d" % i, "mode": "raw", "size": M}
        for i in range(4097)]
case("too-many-namespaces", mod(many_ns),
     "regions[0].namespaces: too many entries (max 4096)")

# --- namespaces ------------------------------------------------------------
case("namespace-no-mode", delete(["regions", 0, "namespaces", 1, "mode"]),
     "regions[0].namespaces[1].mode: required key is missing")
case("namespace-mode-unknown", ns(mode="dax"),
     'regions[0].namespaces[0].mode: unknown mode "dax" (expected raw, fsdax, devdax or sector)')
case("namespace-map-unknown", ns(map="pmem"),
     'regions[0].namespaces[0].map: unknown map "pmem" (expected none, mem or dev)')
case("namespace-size-zero", ns(1, size=0),
     "regions[0].namespaces[1].size: expected a positive size, got 0")
case("namespace-size-string", ns(1, size="1G"),
     'regions[0].namespaces[1].size: expected a non-negative integer, got "1G"')
case("namespace-outside-region", ns(1, resource=8 * G),
     "regions[0].namespaces[1].resource: [0x200000000, 0x240000000) lies outside region0 [0x100000000, 0x200200000)")
case("namespace-overlap", ns(1, resource=5 * G),
     "regions[0].namespaces[1].resource: [0x140000000, 0x180000000) overlaps namespace0.0")
case("duplicate-namespace", ns(1, dev="namespace0.0"),
     'regions[0].namespaces[1].dev: duplicate name "namespace0.0" (also regions[0].namespaces[0].dev)')
case("namespace-dataoff-beyond-end", ns(1, dataoff=2 * G),
     "regions[0].namespaces[1].dataoff: beyond the end of the namespace")
case("namespace-uuid-too-long", ns(uuid="1b3d5f7a-0c2e-4a6b-8d9f-0123456789ab-extra"),
     "regions[0].namespaces[0].uuid: string too long (42 bytes, max 39)")
case("namespace-name-nul", raw_replace('"kmem0"', '"km\\u0000em0"'),
     "regions[0].namespaces[0].name: control character in string at offset 2")

# --- dax devices and the measured kmem range ---------------------------------
case("dax-no-chardev", delete(["regions", 0, "namespaces", 0, "dax", "chardev"]),
     "regions[0].namespaces[0].dax.chardev: required key is missing")
case("dax-mode-unknown", dax(mode="kmem"),
     'regions[0].namespaces[0].dax.mode: unknown dax mode "kmem" (expected disabled, devdax or system-ram)')
case("dax-memmap-on-memory-2", dax(memmap_on_memory=2),
     "regions[0].namespaces[0].dax.memmap_on_memory: expected an integer from 0 to 1, got 2")
case("dax-outside-namespace", dax(size=2 * G),
     "regions[0].namespaces[0].dax.resource: [0x102200000, 0x182200000) lies outside namespace0.0")
case("kmem-measured-without-dax", delete(["regions", 0, "namespaces", 0, "dax"]),
     'regions[0].namespaces[0].kmem.source: "measured" but the namespace has no dax device')
case("kmem-before-dax-range", mod(lambda d: d["regions"][0]["namespaces"][0]["kmem"].update(start=4 * G)),
     "regions[0].namespaces[0].kmem.start: [0x100000000, 0x180000000) lies outside dax0.0 [0x102200000, 0x180000000)")
case("kernel-version-garbage", plat(kernel_version="6.x"),
     'platform.kernel_version: expected a version such as "6.1.119", got "6.x"')
case("kmem-end-before-start", mod(lambda d: d["regions"][0]["namespaces"][0]["kmem"].update(end=4 * G)),
     "regions[0].namespaces[0].kmem.end: before kmem.start")

# --- firmware memory map, claims, signatures ---------------------------------
RAM = [{"start": 0, "end": 0x9fc00, "type": "System RAM"},
       {"start": 0x100000, "end": 0xbffe0000, "type": "System RAM"}]
case("fwmap-start-after-end",
     plat(firmware_memmap=RAM + [{"start": 6 * G, "end": 4 * G, "type": "System RAM"}]),
     "platform.firmware_memmap[2].end: not after start (0x100000000 <= 0x180000000)")
case("fwmap-empty-range",
     plat(firmware_memmap=[{"start": 4 * G, "end": 4 * G, "type": "Reserved"}]),
     "platform.firmware_memmap[0].end: not after start (0x100000000 <= 0x100000000)")
case("fwmap-not-array", plat(firmware_memmap={"0": RAM[0]}),
     "platform.firmware_memmap: expected an array, got an object")
case("fwmap-entry-string", plat(firmware_memmap=["0-9fbff : System RAM"]),
     'platform.firmware_memmap[0]: expected an object, got "0-9fbff : System RAM"')
case("fwmap-end-hex-string",
     plat(firmware_memmap=[{"start": 0, "end": "0x9fbff", "type": "System RAM"}]),
     'platform.firmware_memmap[0].end: expected a non-negative integer, got "0x9fbff"')
case("fwmap-type-too-long",
     plat(firmware_memmap=[{"start": 0, "end": 0x9fc00,
                            "type": "System RAM and then some more text"}]),
     "platform.firmware_memmap[0].type: string too long (34 bytes, max 31)")
case("fwmap-no-end", plat(firmware_memmap=[{"start": 0, "type": "System RAM"}]),
     "platform.firmware_memmap[0].end: required key is missing")
case("label-capable-string", reg(label_capable="true"),
     'regions[0].label_capable: expected true or false, got "true"')
case("claimed-int", ns(claimed=1),
     "regions[0].namespaces[0].claimed: expected true or false, got 1")
case("busy-string", ns(1, busy="no"),
     'regions[0].namespaces[1].busy: expected true or false, got "no"')
case("signature-number", ns(1, signature=83),
     "regions[0].namespaces[1].signature: expected a string, got 83")
case("signature-too-long", ns(1, signature="crypto_LUKS-and-much-more-than-that"),
     "regions[0].namespaces[1].signature: string too long (35 bytes, max 31)")

os.makedirs(out, exist_ok=True)
for f in glob.glob(os.path.join(out, "[0-9][0-9]-*.json")) + \
        glob.glob(os.path.join(out, "[0-9][0-9]-*.expect")):
    os.unlink(f)
for i, (name, data, msg) in enumerate(cases, 1):
    stem = os.path.join(out, "%02d-%s" % (i, name))
    with open(stem + ".json", "wb") as f:
        f.write(data)
    with open(stem + ".expect", "w") as f:
        f.write("2\n%s\n" % msg)
print(len(cases), "cases")
