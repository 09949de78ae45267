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
module: pmemplan_facts
short_description: Persistent memory facts from pmemplan show --json
version_added: "0.1.0"
description:
  - Runs C(pmemplan show --json) on the managed host and returns its
    document (schema 1, see pmemplan-show(1)) as the fact C(pmemplan),
    which holds the platform (architecture, kernel, page and memory block size,
    auto-online policy, MemTotal), every persistent memory region with its
    namespaces, their dax devices, what is System RAM (kmem) now, the
    bound (the most a region can ever hot-plug) and what is stranded.
  - Changes nothing.  Run as an unprivileged user, pmemplan reports sizes
    without physical addresses (C(platform.root) is false).
requirements:
  - pmemplan on the managed host (the Debian package C(pmemplan), or
    C(make install))
author:
  - pmemplan maintainers (@pmemplan)
extends_documentation_fragment:
  - pmemplan.pmemplan.pmemplan
  - action_common_attributes
  - action_common_attributes.facts
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  facts:
    support: full
  platform:
    support: full
    platforms: posix
notes:
  - The numbers are bytes; addresses are physical addresses as in
    C(/proc/iomem).
seealso:
  - module: pmemplan.pmemplan.pmemplan
'''

EXAMPLES = r'''
- name: Read the persistent memory layout
  pmemplan.pmemplan.pmemplan_facts:

- name: Say how much of it is RAM today and how much it could be
  ansible.builtin.debug:
    msg: >-
      {{ inventory_hostname }}: kmem {{ ansible_facts.pmemplan.totals.kmem }}
      of a bound of {{ ansible_facts.pmemplan.totals.bound }} bytes
'''

RETURN = r'''
ansible_facts:
  description: The facts.
  returned: always
  type: complex
  contains:
    pmemplan:
      description:
        - The document of C(pmemplan show --json), schema 1
          (pmemplan-show(1)), as pmemplan printed it.
      returned: always
      type: dict
      sample:
        schema: 1
        command: show
        platform:
          arch: x86_64
          kernel: 6.12.95+deb12-amd64
          block_size: 134217728
          auto_online_blocks: online
          root: true
        totals:
          capacity: 4294967296
          kmem: 4160749568
          bound: 4160749568
          stranded: 134217728
        regions:
          - dev: region0
            size: 4294967296
            namespaces:
              - dev: namespace0.1
                mode: devdax
                name: pmemplan-kmem
        notes: []
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pmemplan.pmemplan.plugins.module_utils.pmemplan import (
    find_pmemplan, show)


def main():
    module = AnsibleModule(
        argument_spec=dict(executable=dict(type='path')),
        supports_check_mode=True,
    )
    pmemplan = find_pmemplan(module, module.params['executable'])
    doc = show(module, pmemplan)
    module.exit_json(changed=False, ansible_facts=dict(pmemplan=doc))


if __name__ == '__main__':
    main()
