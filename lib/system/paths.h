/* SPDX-License-Identifier: GPL-2.0 */
/* The system paths pmemplan reads and writes, spelled once. */
#ifndef PMEMPLAN_PATHS_H
#define PMEMPLAN_PATHS_H

/* drivers/base/memory.c: the memory blocks and their policy */
#define PP_SYS_MEMORY		"/sys/devices/system/memory"
#define PP_AUTO_ONLINE		PP_SYS_MEMORY "/auto_online_blocks"
#define PP_BLOCK_SIZE		PP_SYS_MEMORY "/block_size_bytes"
/* drivers/base/node.c */
#define PP_SYS_NODE		"/sys/devices/system/node"
/* drivers/dax/bus.c: the dax-bus devices */
#define PP_SYS_DAX_DEVICES	"/sys/bus/dax/devices"
/* drivers/cxl/core/port.c: the CXL bus (regions, decoders, memdevs) */
#define PP_SYS_CXL_DEVICES	"/sys/bus/cxl/devices"
/* drivers/nvdimm/bus.c: the libnvdimm devices */
#define PP_SYS_ND		"/sys/bus/nd"
#define PP_SYS_ND_DEVICES	PP_SYS_ND "/devices"
/* drivers/firmware/memmap.c */
#define PP_SYS_FW_MEMMAP	"/sys/firmware/memmap"
/* kernel/module/sysfs.c: /sys/module/NAME/initstate of a loaded module */
#define PP_SYS_MODULE		"/sys/module"
/* mm/memory_hotplug.c module parameter */
#define PP_SYS_MOM \
	"/sys/module/memory_hotplug/parameters/memmap_on_memory"
/* mm/huge_memory.c */
#define PP_SYS_HPAGE_PMD_SIZE \
	"/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"

#define PP_PROC_MEMINFO		"/proc/meminfo"
#define PP_PROC_IOMEM		"/proc/iomem"
#define PP_PROC_PAGETYPEINFO	"/proc/pagetypeinfo"
/* kernel/utsname_sysctl.c: what uname(2) says, as files */
#define PP_PROC_OSRELEASE	"/proc/sys/kernel/osrelease"
#define PP_PROC_VERSION		"/proc/sys/kernel/version"
#define PP_PROC_ARCH		"/proc/sys/kernel/arch"
/* fs/proc/task_mmu.c: "KernelPageSize:" of the first mapping */
#define PP_PROC_SMAPS		"/proc/self/smaps"

#endif /* PMEMPLAN_PATHS_H */
