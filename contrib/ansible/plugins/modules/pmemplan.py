#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# Copyright: pmemplan maintainers
# GNU General Public License v2.0 (see COPYING or
# https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: pmemplan
short_description: Lay out persistent memory as RAM (dax kmem) with pmemplan
version_added: "0.1.0"
description:
  - Runs C(pmemplan apply --json) on the managed host with the options
    given. pmemplan plans the namespace layout that hot-plugs the most
    persistent memory as System RAM, carries it out through libndctl and
    libdaxctl, verifies it against /proc/iomem and sysfs, and rolls back
    everything on a failed step (pmemplan-apply(1)).  The module plans
    nothing itself.
  - Idempotent; a host that is laid out as planned reports
    C(changed=false) (pmemplan says "nothing to do").
  - In check mode it runs C(pmemplan plan --json) with the same options
    instead, which changes nothing. C(changed) is true when the plan has
    operations, and they are returned in C(operations).
  - In diff mode the layout before and after (from C(pmemplan show --json))
    is returned as the diff.
  - Existing namespaces are changed only as pmemplan's safety rules allow
    (free raw space, or named in C(reconfigure) or C(replace), or with
    C(force)).  When pmemplan refuses for safety (its exit status 3 -
    not root, a namespace in use or holding data, a layout the kernel
    cannot take), the task fails with pmemplan's line and says what
    C(force) would do; nothing has changed then.
requirements:
  - pmemplan on the managed host (the Debian package C(pmemplan), or
    C(make install)), run as root (C(become))
author:
  - pmemplan maintainers (@pmemplan)
options:
  target:
    description:
      - What the memory is for (C(--target)); pmemplan knows only kmem.
    type: str
    choices: [kmem]
    default: kmem
  size:
    description:
      - Hot-plug exactly this much (C(--size)), in whole memory blocks,
        keeping the rest as usable pmem; a size with a unit, as pmemplan
        reads it (C(8G), C(3968M)).  A size the regions cannot give fails
        before anything changes.
    type: str
  region_align:
    description:
      - Write this region alignment first (C(--region-align)); C(2M)
        strands less, C(16M) keeps the media usable on every architecture.
    type: str
  memmap:
    description:
      - Where the struct pages of hot-plugged memory go (C(--memmap)),
        C(auto) (where they leave the more net memory), C(dram) or C(pmem).
    type: str
    choices: [auto, dram, pmem]
  zone:
    description:
      - The zone the memory is onlined in (C(--zone)).  C(movable) (the
        default of pmemplan) can be unplugged again; C(normal) cannot.
    type: str
    choices: [movable, normal]
  dram_percent:
    description:
      - The share of MemAvailable struct pages may take (C(--dram-percent),
        pmemplan's default 50).
    type: int
  reconfigure:
    description:
      - Namespaces pmemplan may reconfigure in place (C(--reconfigure)),
        e.g. C(namespace0.0).
    type: list
    elements: str
    default: []
  replace:
    description:
      - Namespaces pmemplan may destroy, reusing their space
        (C(--replace)).
    type: list
    elements: str
    default: []
  keep:
    description:
      - Keep free raw namespaces as they are (C(--keep)).
    type: bool
    default: false
  force:
    description:
      - May replace any namespace that is not in use, and initialise a
        label area that may hold labels (C(--force)).  The data in such a
        namespace is lost.
    type: bool
    default: false
  regions:
    description:
      - Only these regions (C(--region), C(region0) or C(0)); all by
        default.
    type: list
    elements: str
    default: []
  write_config:
    description:
      - Afterwards record the memory that is System RAM in
        C(pmemplan.conf) (C(--write-config)), for
        C(pmemplan-restore@.service) to make it System RAM again at
        boot.  The kernel forgets the binding to kmem at every reboot;
        without this the memory is gone after one.
    type: bool
    default: false
  config_dir:
    description:
      - The directory of C(pmemplan.conf) for C(write_config)
        (C(--write-config=DIR)); the boot unit reads only the default,
        C(/etc/daxctl.conf.d).
    type: path
extends_documentation_fragment:
  - pmemplan.pmemplan.pmemplan
  - action_common_attributes
attributes:
  check_mode:
    support: full
    details: C(pmemplan plan --json) with the same options.
  diff_mode:
    support: full
    details: The layout from C(pmemplan show --json), before and after.
  platform:
    support: full
    platforms: posix
notes:
  - The operations and documents are pmemplan's JSON (schema 1), sizes and
    addresses in bytes.
  - C(write_config) rewrites the file on every run; the task reports a
    change only when its content changed.  In check mode it counts as a
    change when the plan has operations or the file does not exist.
  - Memory onlined in zone normal cannot be taken back by pmemplan; use
    C(movable) where the layout may change later.
seealso:
  - module: pmemplan.pmemplan.pmemplan_facts
'''

EXAMPLES = r'''
- name: Turn every fresh NVDIMM into System RAM, kept across reboots
  become: true
  pmemplan.pmemplan.pmemplan:
    region_align: 2M
    write_config: true

- name: Only 8 GiB of region0 as RAM, the rest stays pmem
  become: true
  pmemplan.pmemplan.pmemplan:
    regions: [region0]
    size: 8G

- name: What would change (nothing does)
  become: true
  pmemplan.pmemplan.pmemplan:
    write_config: true
  check_mode: true
  register: plan

- name: Reuse an old fsdax namespace whose data is no longer wanted
  become: true
  pmemplan.pmemplan.pmemplan:
    replace: [namespace0.0]
'''

RETURN = r'''
changed:
  description: Whether pmemplan changed the layout (or, in check mode,
    would), or the configuration file changed.
  returned: always
  type: bool
status:
  description: pmemplan's own word for the outcome (C(apply.status)),
    one of C(applied), C(nothing to do), C(failed), C(refused); in check
    mode C(planned).
  returned: always
  type: str
  sample: applied
operations:
  description:
    - The operations pmemplan carried out (or, in check mode, would), in
      order, as its JSON lists them (C(regions[].actions)) with the
      region they belong to in C(region).  Empty on a host laid out as
      planned.
    - A CXL ram region pmemplan divides gives one C(op=cxl-device) per
      planned dax device (C(region) is C(cxl/regionN); C(mode)
      system-ram or devdax, C(resource), C(size)).
  returned: always
  type: list
  elements: dict
  sample:
    - region: region0
      op: create-namespace
      dev: null
      role: kmem
      mode: devdax
      map: mem
      align: 2097152
      resource: 4429185024
      size: 4160749568
      destructive: false
operations_text:
  description: The same operations in words, one line each.
  returned: always
  type: list
  elements: str
  sample:
    - "region0: create-namespace devdax kmem map=mem 3968 MiB at 0x108000000"
advice:
  description: pmemplan's advice lines (what another option would gain,
    such as C(force) or C(region_align)), each prefixed with its region.
  returned: always
  type: list
  elements: str
pmemplan:
  description:
    - pmemplan's JSON document (schema 1), as it printed it - of
      C(pmemplan apply --json) (with the C(apply) object, and per region a
      C(result) and C(verified)), or in check mode of
      C(pmemplan plan --json).
  returned: when pmemplan printed one
  type: dict
cmd:
  description: The pmemplan command line the module ran.
  returned: always
  type: list
  elements: str
  sample: [/usr/bin/pmemplan, apply, --json, --target, kmem]
rc:
  description: pmemplan's exit status (pmemplan-apply(1)).
  returned: always
  type: int
  sample: 0
stderr:
  description: pmemplan's standard error (its messages and warnings).
  returned: always
  type: str
'''

import hashlib
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pmemplan.pmemplan.plugins.module_utils.pmemplan import (
    EXIT_OK, EXIT_REFUSED, advice, describe, error_line, find_pmemplan,
    layout, operations, parse_document, run, show, warnings)

# pmemplan's default directory of pmemplan.conf (pmemplan-apply(1)).
CONFIG_DIR = '/etc/daxctl.conf.d'


def plan_options(p, force=None):
    """pmemplan's options for the module's parameters: the same for plan
    and apply (pmemplan-plan(1), pmemplan-apply(1))."""
    argv = ['--target', p['target']]
    for opt, key in (('--size', 'size'), ('--region-align', 'region_align'),
                     ('--memmap', 'memmap'), ('--zone', 'zone')):
        if p[key] is not None:
            argv.append('%s=%s' % (opt, p[key]))
    if p['dram_percent'] is not None:
        argv.append('--dram-percent=%d' % p['dram_percent'])
    for ns in p['reconfigure']:
        argv.append('--reconfigure=%s' % ns)
    for ns in p['replace']:
        argv.append('--replace=%s' % ns)
    for region in p['regions']:
        argv.append('--region=%s' % region)
    if p['keep']:
        argv.append('--keep')
    if p['force'] if force is None else force:
        argv.append('--force')
    return argv


def digest(path):
    """The sha256 of the file at PATH, None when there is none."""
    try:
        with open(path, 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()
    except (IOError, OSError):
        return None


def plan(module, pmemplan, force=None):
    """pmemplan plan --json with the module's options: (argv, rc, doc or
    None, stderr)."""
    argv = [pmemplan, 'plan', '--json'] + plan_options(module.params, force)
    rc, out, err = run(module, argv)
    doc = None
    if rc == EXIT_OK:
        doc = parse_document(module, out, 'pmemplan plan --json', cmd=argv,
                             rc=rc, stderr=err)
    return argv, rc, doc, err


def what_force_would_do(module, pmemplan, refusal):
    """For a refusal: what pmemplan's plan with --force does that the plan
    without it does not, in words, from pmemplan's own JSON.  Its advice
    lines about --force, or the destructive operations of the forced plan;
    or that force would not change the plan."""
    if 'needs root' in refusal:
        return ('force=true would not help: pmemplan apply needs root, '
                'run the task with become=true')
    if module.params['force']:
        return ('force is set already: pmemplan refuses even with --force '
                '(a namespace in use, not root, another apply running, or '
                'a layout the kernel cannot take are never overridden)')
    _, rc0, plain, _ = plan(module, pmemplan, force=False)
    _, rc1, forced, err = plan(module, pmemplan, force=True)
    if rc1 != EXIT_OK or forced is None:
        return ('force=true would not help: pmemplan cannot plan with '
                '--force either: %s' % error_line(err))
    said = [line for line in advice(plain or {}) if '--force' in line]
    had = [describe(op) for op in operations(plain or {})]
    extra = [describe(op) for op in operations(forced)
             if op.get('destructive') and describe(op) not in had]
    if said or extra:
        parts = []
        if said:
            parts.append('; '.join(said))
        if extra:
            parts.append('its plan with --force would run '
                         + '; '.join(extra)
                         + ' (the data there is lost)')
        return 'force=true: ' + '; '.join(parts)
    if rc0 == EXIT_OK and plain is not None and \
            operations(plain) == operations(forced):
        return ('force=true would not change this: the plan with --force '
                'is the same, and the refusal is not about consent')
    return ('force=true would let pmemplan replace any namespace that is '
            'not in use and initialise label areas that may hold labels')


def main():
    module = AnsibleModule(
        argument_spec=dict(
            target=dict(type='str', default='kmem', choices=['kmem']),
            size=dict(type='str'),
            region_align=dict(type='str'),
            memmap=dict(type='str', choices=['auto', 'dram', 'pmem']),
            zone=dict(type='str', choices=['movable', 'normal']),
            dram_percent=dict(type='int'),
            reconfigure=dict(type='list', elements='str', default=[]),
            replace=dict(type='list', elements='str', default=[]),
            keep=dict(type='bool', default=False),
            force=dict(type='bool', default=False),
            regions=dict(type='list', elements='str', default=[]),
            write_config=dict(type='bool', default=False),
            config_dir=dict(type='path'),
            executable=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if p['config_dir'] and not p['write_config']:
        module.fail_json(msg='config_dir is the directory of write_config: '
                         'set write_config=true too, or leave config_dir out')
    pmemplan = find_pmemplan(module, p['executable'])
    config = os.path.join(p['config_dir'] or CONFIG_DIR, 'pmemplan.conf')
    before = show(module, pmemplan) if module._diff else None

    if module.check_mode:
        argv, rc, doc, err = plan(module, pmemplan)
        if rc != EXIT_OK:
            module.fail_json(msg='pmemplan plan failed (exit %d): %s'
                             % (rc, error_line(err)), rc=rc, cmd=argv,
                             stderr=err, operations=[], operations_text=[],
                             advice=[], status='failed')
        ops = operations(doc)
        text = [describe(op) for op in ops]
        changed = bool(ops) or (p['write_config'] and digest(config) is None)
        result = dict(changed=changed, status='planned', operations=ops,
                      operations_text=text, advice=advice(doc), pmemplan=doc,
                      cmd=argv, rc=rc, stderr=err)
        if before is not None:
            after = layout(before)
            if ops:
                after += ''.join('would: %s\n' % t for t in text)
            result['diff'] = dict(before=layout(before), after=after,
                                  before_header='pmemplan show',
                                  after_header='pmemplan plan (check mode)')
        module.exit_json(**result)

    argv = [pmemplan, 'apply', '--json'] + plan_options(p)
    if p['write_config']:
        argv.append('--write-config=%s' % p['config_dir']
                    if p['config_dir'] else '--write-config')
    old_config = digest(config) if p['write_config'] else None
    rc, out, err = run(module, argv)
    for line in warnings(err):
        module.warn(line)
    doc = None
    if out.strip():
        doc = parse_document(module, out, 'pmemplan apply --json', cmd=argv,
                             rc=rc, stderr=err)
    ops = operations(doc) if doc else []
    status = ((doc or {}).get('apply') or {}).get('status')
    result = dict(rc=rc, cmd=argv, stderr=err, status=status or 'failed',
                  operations=ops, operations_text=[describe(op) for op in ops],
                  advice=advice(doc) if doc else [])
    if doc is not None:
        result['pmemplan'] = doc

    if rc == EXIT_REFUSED:
        result['status'] = 'refused'
        line = error_line(err)
        module.fail_json(msg='pmemplan refused for safety (exit 3), nothing '
                         'changed: %s. %s'
                         % (line, what_force_would_do(module, pmemplan, line)),
                         changed=False, **result)
    if rc != EXIT_OK:
        apply_doc = (doc or {}).get('apply') or {}
        module.fail_json(msg='pmemplan apply failed (exit %d): %s'
                         % (rc, error_line(err)),
                         changed=bool(apply_doc.get('rollback_error')),
                         **result)

    changed = status == 'applied'
    if p['write_config'] and digest(config) != old_config:
        changed = True
    result['changed'] = changed
    if before is not None:
        result['diff'] = dict(before=layout(before),
                              after=layout(show(module, pmemplan)),
                              before_header='pmemplan show (before)',
                              after_header='pmemplan show (after)')
    module.exit_json(**result)


if __name__ == '__main__':
    main()
