# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# Copyright: pmemplan maintainers
# GNU General Public License v2.0 (see COPYING or
# https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # What every module of the collection takes (module_utils/pmemplan.py
    # find_pmemplan() reads it)
    DOCUMENTATION = r'''
options:
  executable:
    description:
      - The pmemplan program to run; by default the first C(pmemplan) in
        C(PATH), C(/usr/bin), C(/usr/sbin) or C(/usr/local/bin).
    type: path
'''
