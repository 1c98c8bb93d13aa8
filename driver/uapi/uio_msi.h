/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uio_msi - user space ABI of the uio_msi PCI driver.
 *
 * Copyright 2026 the wirespeed authors.
 *
 * The driver exposes a bound PCI function as a stock UIO device, /dev/uioN:
 *
 *  - mmap(): the memory BARs are the UIO memory maps.  Map index i is the
 *    i-th memory BAR in ascending BAR order; mmap it at offset
 *    i * page size.  /sys/class/uio/uioN/maps/mapI/name reads "BARn", so user
 *    space never has to guess which BAR a map is.  I/O port BARs are UIO
 *    port regions (/sys/class/uio/uioN/portio/portI, name "BARn").
 *
 *  - write() of exactly one __s32 command word (the stock UIO core has no
 *    ioctl hook; it hands this word to the driver in the writer's process
 *    context, which is what lets the driver resolve an eventfd number in the
 *    caller's file table).  Commands are built with the macros below.
 *    write() returns 4 on success or -1 with errno:
 *      EINVAL  malformed word (negative, unknown op, reserved bits, an
 *              argument that did not fit: UIO_MSI_CMD_INVALID), an fd
 *              that is not an eventfd, or INTx mask outside INTx mode
 *      ERANGE  vector >= num_vectors
 *      EBADF   the fd is not open in the calling process
 *      ENODEV  the PCI device is being removed
 *
 *  - read() of one __s32 and poll() work as for every UIO device: the
 *    counter counts interrupts of all vectors together.
 *
 * The interrupt mode and vector count are in sysfs under the PCI device:
 *   /sys/bus/pci/devices/<addr>/uio_msi/irq_mode     "msix" "msi" "intx" "none"
 *   /sys/bus/pci/devices/<addr>/uio_msi/num_vectors  decimal, 0..256
 * (also reachable as /sys/class/uio/uioN/device/uio_msi/...).
 *
 * Lifetime: the first open() resets the function (if the PCI core knows a
 * way), restores the config space probe saw, and requests every vector; bus
 * mastering stays off until UIO_MSI_CMD_DMA_ENABLE.  The last close()
 * (including the one the kernel performs for a crashed process) clears bus
 * mastering, frees every vector, drops every eventfd binding, resets the
 * function and restores its config space.  Bindings therefore never outlive
 * the session that made them.
 *
 * Opening needs CAP_SYS_RAWIO and a kernel that is not locked down.
 * Binding a device needs the module parameter allow_unsafe_dma=1 and taints
 * the kernel; a device behind an IOMMU that translates its DMA is refused
 * (use vfio-pci for it), and so are bridges and locked-down kernels.
 */
#ifndef _UAPI_LINUX_UIO_MSI_H
#define _UAPI_LINUX_UIO_MSI_H

#include <linux/types.h>

/* Largest number of vectors the command word can address. */
#define UIO_MSI_MAX_VECTORS		256u

/*
 * Command word layout (bit 31 is always 0):
 *   bits 30..28  op
 *   bits 27..20  vector
 *   bits 19..0   eventfd number (every value is an fd; there is no sentinel)
 */
#define UIO_MSI_OP_SHIFT		28
#define UIO_MSI_OP_MASK			0x7u
#define UIO_MSI_VECTOR_SHIFT		20
#define UIO_MSI_VECTOR_MASK		0xffu
#define UIO_MSI_FD_MASK			0xfffffu
/*
 * Highest eventfd number the command word can carry: 1048575, the highest
 * fd the default fs.nr_open (1048576) allows.  With a larger fs.nr_open, a
 * higher fd must be dup()ed lower; the macros below never truncate it.
 */
#define UIO_MSI_MAX_FD			UIO_MSI_FD_MASK

/*
 * A word the driver always refuses with EINVAL (bit 31 set).  The macros
 * below produce it for arguments that do not fit, so a too-large fd or
 * vector fails instead of silently naming another one.
 */
#define UIO_MSI_CMD_INVALID		((__s32)-1)

/* op 0: the two classic UIO words, for INTx. */
#define UIO_MSI_OP_INTX			0u
/*
 * Mask the INTx line.  Only valid in "intx" mode.
 */
#define UIO_MSI_CMD_INTX_MASK		((__s32)0)
/*
 * Unmask the INTx line after the device's interrupt cause was cleared.  The
 * handler masks the line on every interrupt, so INTx users send this after
 * servicing each event.  If the device still asserts the line the driver
 * signals the vector's eventfd (and read()/poll() on /dev/uioN) again and
 * leaves the line masked.  Unmasking a line that is not masked does nothing.
 * In "msi" and "msix" modes this is a no-op that succeeds (message-signalled
 * interrupts need no unmasking).
 */
#define UIO_MSI_CMD_INTX_UNMASK		((__s32)1)

/* op 1: bind or rebind (replace) a vector's eventfd. */
#define UIO_MSI_OP_SET_EVENTFD		1u
/* op 2: unbind a vector's eventfd; the fd field must be 0. */
#define UIO_MSI_OP_UNBIND_EVENTFD	2u

/*
 * UIO_MSI_CMD_SET_EVENTFD(vector, fd) - command word binding @fd to @vector.
 * @vector must be < UIO_MSI_MAX_VECTORS and @fd in 0..UIO_MSI_MAX_FD;
 * anything else (a negative fd included) gives UIO_MSI_CMD_INVALID, which
 * the driver refuses.  A function, so each argument is evaluated once.
 */
static __inline__ __s32 uio_msi_cmd_set_eventfd(__u64 vector, __u64 fd)
{
	if (vector >= UIO_MSI_MAX_VECTORS || fd > UIO_MSI_MAX_FD)
		return UIO_MSI_CMD_INVALID;
	return (__s32)((UIO_MSI_OP_SET_EVENTFD << UIO_MSI_OP_SHIFT) |
		       ((__u32)vector << UIO_MSI_VECTOR_SHIFT) | (__u32)fd);
}

#define UIO_MSI_CMD_SET_EVENTFD(vector, fd)	uio_msi_cmd_set_eventfd(vector, fd)

/*
 * UIO_MSI_CMD_UNBIND_EVENTFD(vector) - command word unbinding @vector's
 * eventfd (unbinding an unbound vector succeeds).
 */
static __inline__ __s32 uio_msi_cmd_unbind_eventfd(__u64 vector)
{
	if (vector >= UIO_MSI_MAX_VECTORS)
		return UIO_MSI_CMD_INVALID;
	return (__s32)((UIO_MSI_OP_UNBIND_EVENTFD << UIO_MSI_OP_SHIFT) |
		       ((__u32)vector << UIO_MSI_VECTOR_SHIFT));
}

#define UIO_MSI_CMD_UNBIND_EVENTFD(vector)	uio_msi_cmd_unbind_eventfd(vector)

/*
 * op 3: bus mastering (DMA).  The first open() resets the function and
 * restores its probe-time config space, and leaves bus mastering OFF: the
 * device may still hold the previous user's ring addresses, and many
 * devices have no function reset that clears them.  Reset the device your
 * own way (e.g. its control register's reset bit), program your own rings,
 * then send UIO_MSI_CMD_DMA_ENABLE.  UIO_MSI_CMD_DMA_DISABLE turns it off
 * again; the last close() always does.
 */
#define UIO_MSI_OP_DMA			3u
#define UIO_MSI_CMD_DMA_DISABLE		((__s32)(UIO_MSI_OP_DMA << UIO_MSI_OP_SHIFT))
#define UIO_MSI_CMD_DMA_ENABLE		((__s32)((UIO_MSI_OP_DMA << UIO_MSI_OP_SHIFT) | 1u))

/*
 * op 4: check.  Succeeds while the device is bound; fails with ENODEV (or
 * EIO once the UIO device is gone) after an unbind or hot-unplug.  Removal
 * also signals every bound eventfd once, so a sleeper wakes, and invalidates
 * every BAR mapping (an access after that is SIGBUS).
 */
#define UIO_MSI_OP_CHECK		4u
#define UIO_MSI_CMD_CHECK		((__s32)(UIO_MSI_OP_CHECK << UIO_MSI_OP_SHIFT))

/* sysfs names, relative to the PCI device directory. */
#define UIO_MSI_SYSFS_GROUP		"uio_msi"
#define UIO_MSI_SYSFS_IRQ_MODE		"uio_msi/irq_mode"
#define UIO_MSI_SYSFS_NUM_VECTORS	"uio_msi/num_vectors"

/* Name of the opt-in parameter (/sys/module/uio_msi/parameters/...). */
#define UIO_MSI_PARAM_ALLOW_UNSAFE_DMA	"allow_unsafe_dma"

#endif /* _UAPI_LINUX_UIO_MSI_H */
