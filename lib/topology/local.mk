# lib/topology/: the in-memory picture of a machine: platform, regions, namespaces, dax devices
lib_libpmemplan_core_a_SOURCES += \
	lib/topology/topology.h \
	lib/topology/topology.c \
	lib/topology/whatif.h \
	lib/topology/whatif.c
