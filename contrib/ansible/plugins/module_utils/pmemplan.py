# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# Copyright: pmemplan maintainers
# GNU General Public License v2.0 (see COPYING or
# https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)
"""What both modules share: finding pmemplan on the managed host, running
it, reading its JSON documents (schema 1, pmemplan(1)) and putting them
into words.  Nothing here plans: every decision is pmemplan's own."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# The schema of pmemplan's JSON documents this code reads.
SCHEMA = 1

# Exit statuses of pmemplan-apply(1).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3


def find_pmemplan(module, executable=None):
    """The pmemplan program of the managed host: EXECUTABLE, or the first
    in PATH (and /usr/sbin, /usr/local/bin, where packages put it)."""
    if executable:
        return executable
    return module.get_bin_path('pmemplan', required=True,
                               opt_dirs=['/usr/bin', '/usr/sbin',
                                         '/usr/local/bin'])


def run(module, argv):
    """Runs pmemplan with ARGV (a list); (rc, stdout, stderr), never a
    shell.  LC_ALL=C: the messages are read back."""
    return module.run_command(argv, check_rc=False,
                              environ_update={'LC_ALL': 'C'})


def error_line(stderr):
    """pmemplan's one line saying why (the last "pmemplan: " line of its
    standard error), or the whole of it."""
    lines = [line.strip() for line in (stderr or '').splitlines()
             if line.strip()]
    said = [line for line in lines if line.startswith('pmemplan:')
            and not line.startswith('pmemplan: warning:')]
    if said:
        return said[-1]
    return '; '.join(lines)


def warnings(stderr):
    """pmemplan's warning lines, for module.warn()."""
    return [line.strip() for line in (stderr or '').splitlines()
            if line.strip().startswith('pmemplan: warning:')]


def parse_document(module, text, what, **fail):
    """pmemplan's JSON document in TEXT; fails the task when it is not one
    of the schema this collection reads."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        module.fail_json(msg='%s: pmemplan printed no JSON document: %s'
                         % (what, e), **fail)
    if not isinstance(doc, dict) or doc.get('schema') != SCHEMA:
        module.fail_json(msg='%s: pmemplan printed a document of schema %r; '
                         'this collection reads schema %d'
                         % (what, doc.get('schema') if isinstance(doc, dict)
                            else None, SCHEMA), **fail)
    return doc


def show(module, pmemplan):
    """pmemplan show --json: the document, or the task fails."""
    argv = [pmemplan, 'show', '--json']
    rc, out, err = run(module, argv)
    if rc != EXIT_OK:
        module.fail_json(msg='pmemplan show --json failed (exit %d): %s'
                         % (rc, error_line(err)), rc=rc, cmd=argv,
                         stdout=out, stderr=err)
    return parse_document(module, out, 'pmemplan show --json', cmd=argv,
                          stderr=err)


def operations(doc):
    """The operations of a plan or apply document, in order, each with the
    region it belongs to (regions[].actions); then, for each CXL ram region
    apply divides (cxl_regions[] not as_planned), one per planned dax
    device (op cxl-device, region cxl/regionN)."""
    ops = []
    for region in doc.get('regions') or []:
        for action in region.get('actions') or []:
            op = dict(action)
            op['region'] = region.get('dev')
            ops.append(op)
    for region in doc.get('cxl_regions') or []:
        if region.get('as_planned') or region.get('devices') is None:
            continue
        for dev in region.get('devices'):
            ops.append({'op': 'cxl-device',
                        'region': 'cxl/%s' % region.get('dev'),
                        'mode': dev.get('mode'), 'size': dev.get('size'),
                        'resource': dev.get('start'),
                        'zone': region.get('zone')
                        if dev.get('mode') == 'system-ram' else None,
                        'destructive': bool(region.get('needs_force'))})
    return ops


def advice(doc):
    """Every advice line of a plan document (regions[].advice)."""
    lines = []
    for region in doc.get('regions') or []:
        for line in region.get('advice') or []:
            lines.append('%s: %s' % (region.get('dev'), line))
    return lines


def size(n):
    """Bytes in the largest binary unit that divides them, as pmemplan
    prints sizes (4 GiB, 126 MiB)."""
    if not isinstance(n, int):
        return str(n)
    for unit, shift in (('TiB', 40), ('GiB', 30), ('MiB', 20), ('KiB', 10)):
        if n and n % (1 << shift) == 0:
            return '%d %s' % (n >> shift, unit)
    if n >= 1 << 30:
        return '%.1f GiB' % (n / float(1 << 30))
    if n >= 1 << 20:
        return '%.1f MiB' % (n / float(1 << 20))
    return '%d B' % n


def hexaddr(n):
    return '0x%x' % n if isinstance(n, int) else '-'


def describe(op):
    """One operation in words: region0: create-namespace devdax kmem
    3970 MiB at 0x107e00000 (destructive)."""
    words = ['%s:' % op.get('region'), op.get('op') or '?']
    for key in ('dev', 'mode', 'role'):
        if op.get(key):
            words.append(str(op[key]))
    if op.get('map'):
        words.append('map=%s' % op['map'])
    if op.get('size') is not None:
        words.append(size(op['size']))
    if op.get('resource') is not None:
        words.append('at %s' % hexaddr(op['resource']))
    if op.get('zone'):
        words.append('zone %s' % op['zone'])
    if op.get('destructive'):
        words.append('(destructive)')
    return ' '.join(words)


def layout(doc):
    """The layout of a show document as lines of text, for --diff: each
    region with its kmem and stranded capacity, each namespace with its
    mode, place, size and what its dax device is."""
    lines = []
    for region in doc.get('regions') or []:
        lines.append('%s: %s, kmem %s, stranded %s' % (
            region.get('dev'), size(region.get('size')),
            size(region.get('kmem')), size(region.get('stranded'))))
        for ns in region.get('namespaces') or []:
            words = ['  %s' % ns.get('dev'), str(ns.get('mode')),
                     hexaddr(ns.get('resource')), size(ns.get('size'))]
            if ns.get('name'):
                words.append('name=%s' % ns['name'])
            dax = ns.get('dax') or {}
            if dax:
                words.append('%s %s' % (dax.get('chardev'), dax.get('mode')))
                if dax.get('mode') == 'system-ram':
                    words.append('%s/%s blocks %s' % (
                        dax.get('online_memblocks'),
                        dax.get('total_memblocks'), dax.get('zone')))
            lines.append(' '.join(words))
    totals = doc.get('totals') or {}
    if totals:
        lines.append('totals: capacity %s, kmem %s, stranded %s' % (
            size(totals.get('capacity')), size(totals.get('kmem')),
            size(totals.get('stranded'))))
    return '\n'.join(lines) + '\n'
