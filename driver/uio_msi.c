// SPDX-License-Identifier: GPL-2.0
/*
 * uio_msi - UIO driver for PCI functions with per-vector eventfd interrupts
 *
 * Copyright 2026 the wirespeed authors.
 *
 * Exposes a PCI function to a user space poll-mode driver through the stock
 * UIO core: BARs become UIO maps and port regions, and each MSI-X (or MSI,
 * or INTx) vector signals an eventfd that user space binds with a write() of
 * a command word to /dev/uioN.  The ABI is described in uapi/uio_msi.h.
 *
 * User space programs the device's DMA with physical addresses, so nothing
 * stops a buggy or hostile process from scribbling over all of memory.  The
 * driver therefore only binds when the administrator opts in, taints the
 * kernel when it does, refuses devices that an IOMMU translates (vfio-pci is
 * the right driver for those), and switches bus mastering off as soon as the
 * last user closes the device.
 */

#include <linux/capability.h>
#include <linux/eventfd.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uio_driver.h>
#include <linux/version.h>

#include "uapi/uio_msi.h"

#define DRIVER_VERSION	"2.0.0"

/* eventfd_signal() lost its count argument in 6.8. */
#if KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE
#define uio_msi_eventfd_signal(ctx)	eventfd_signal(ctx)
#else
#define uio_msi_eventfd_signal(ctx)	eventfd_signal(ctx, 1)
#endif

/*
 * PCI_IRQ_LEGACY was renamed PCI_IRQ_INTX (6.10); 6.12 only has the new
 * name.  Both are plain macros, so test for the name itself: that also
 * covers distribution kernels that backported the rename.
 */
#ifdef PCI_IRQ_INTX
#define UIO_MSI_PCI_IRQ_INTX	PCI_IRQ_INTX
#else
#define UIO_MSI_PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/* Bounds-checking annotation, new in 6.6. */
#ifndef __counted_by
#define __counted_by(member)
#endif

static bool allow_unsafe_dma;
module_param(allow_unsafe_dma, bool, 0644);
MODULE_PARM_DESC(allow_unsafe_dma,
		 "Allow binding devices whose DMA user space controls without IOMMU protection; taints the kernel (default: N)");

static unsigned int max_vectors = 64;
module_param(max_vectors, uint, 0644);
MODULE_PARM_DESC(max_vectors,
		 "Most MSI-X/MSI vectors to allocate per device, 1..256 (default: 64)");

static char *irq_mode = "msix";
module_param(irq_mode, charp, 0644);
MODULE_PARM_DESC(irq_mode,
		 "Best interrupt mode to try when binding: msix (then msi, intx), msi (then intx), intx, or none (default: msix)");

/* Ordered: a device gets the best mode not above the irq_mode parameter. */
enum uio_msi_mode {
	UIO_MSI_MODE_NONE,
	UIO_MSI_MODE_INTX,
	UIO_MSI_MODE_MSI,
	UIO_MSI_MODE_MSIX,
};

static const char * const uio_msi_mode_names[] = {
	[UIO_MSI_MODE_NONE] = "none",
	[UIO_MSI_MODE_INTX] = "intx",
	[UIO_MSI_MODE_MSI] = "msi",
	[UIO_MSI_MODE_MSIX] = "msix",
};

/* The irq_mode parameter as a mode, or -EINVAL. */
static int uio_msi_best_mode(void)
{
	int i, ret = -EINVAL;

	/* The parameter is writable through sysfs; hold it still. */
	kernel_param_lock(THIS_MODULE);
	for (i = 0; i < ARRAY_SIZE(uio_msi_mode_names); i++)
		if (irq_mode && sysfs_streq(irq_mode, uio_msi_mode_names[i]))
			ret = i;
	kernel_param_unlock(THIS_MODULE);
	return ret;
}

/* True if the device's INTx pin is connected to an interrupt line. */
static bool uio_msi_has_intx(struct pci_dev *pdev)
{
	return pdev->pin && pdev->irq;
}

/*
 * Under kernel lockdown (integrity or confidentiality) the PCI core refuses
 * user space BAR access through sysfs (pci_mmap_resource() and friends in
 * drivers/pci/pci-sysfs.c check LOCKDOWN_PCI_ACCESS); this driver would hand
 * out the same access and DMA on top, so it refuses too: at bind and at every
 * open, since lockdown can be raised at run time.
 */
static int uio_msi_locked_down(void)
{
	return security_locked_down(LOCKDOWN_PCI_ACCESS);
}

struct uio_msi_dev;

struct uio_msi_vector {
	struct uio_msi_dev *udev;
	unsigned int irq;
	/* Guards @trigger against the interrupt handler. */
	spinlock_t lock;
	struct eventfd_ctx *trigger;
	char name[48];
};

struct uio_msi_inode {
	struct list_head node;
	struct inode *inode;
};

struct uio_msi_dev {
	struct pci_dev *pdev;
	struct uio_info info;
	/*
	 * Serialises open/release/commands against device removal.  The UIO
	 * core already calls open, release and irqcontrol under its own
	 * info_lock; this lock additionally covers our remove path, which
	 * must quiesce the device before the UIO device goes away.
	 */
	struct mutex lock;
	unsigned int open_count;
	bool irqs_requested;
	bool removed;
	/* Config space as probe left it, restored on every open and last close. */
	struct pci_saved_state *saved_state;
	/*
	 * Every inode /dev/uioN was opened through in this session (usually
	 * one), each with a reference: BAR mappings hang off their address
	 * spaces, and remove() zaps them there.
	 */
	struct list_head inodes;
	/*
	 * INTx only: the line is masked at the device, by the handler or by
	 * the mask command.  Guarded by vectors[0].lock.  A masked device's
	 * handler claims nothing, so an interrupt of another device on a
	 * shared line is not reported as ours (vfio_intx_handler() in
	 * drivers/vfio/pci/vfio_pci_intrs.c keeps the same flag).
	 */
	bool intx_masked;
	/*
	 * Map and port region names ("BARn"), kept here rather than allocated:
	 * nothing to fail, nothing to free (an unchecked kasprintf() once left
	 * a NULL name that the UIO core filled with a string literal, which
	 * remove() then passed to kfree()).
	 */
	char mem_names[MAX_UIO_MAPS][8];
	char port_names[MAX_UIO_PORT_REGIONS][8];
	enum uio_msi_mode mode;
	unsigned int num_vectors;
	struct uio_msi_vector vectors[] __counted_by(num_vectors);
};

/* Signal @vec's eventfd, if any; called with vec->lock held. */
static void uio_msi_signal_locked(struct uio_msi_vector *vec)
{
	if (vec->trigger)
		uio_msi_eventfd_signal(vec->trigger);
}

static void uio_msi_fire(struct uio_msi_vector *vec)
{
	spin_lock(&vec->lock);
	uio_msi_signal_locked(vec);
	spin_unlock(&vec->lock);
	/* Also wake read()/poll() on /dev/uioN, after the eventfd. */
	uio_event_notify(&vec->udev->info);
}

static irqreturn_t uio_msi_msi_handler(int irq, void *arg)
{
	uio_msi_fire(arg);
	return IRQ_HANDLED;
}

/*
 * The line may be shared.  Claim the interrupt only if our device is not
 * masked already and asserts INTx now; then mask it at the device until
 * user space has serviced it and sends UIO_MSI_CMD_INTX_UNMASK.  Modelled on
 * vfio_intx_handler() (drivers/vfio/pci/vfio_pci_intrs.c): without the
 * masked test, a device masked with its cause still pending would be
 * signalled again for every interrupt of its neighbours on the line.
 */
static irqreturn_t uio_msi_intx_handler(int irq, void *arg)
{
	struct uio_msi_vector *vec = arg;
	struct uio_msi_dev *udev = vec->udev;
	irqreturn_t ret = IRQ_NONE;

	spin_lock(&vec->lock);
	if (!udev->intx_masked && pci_check_and_mask_intx(udev->pdev)) {
		udev->intx_masked = true;
		uio_msi_signal_locked(vec);
		ret = IRQ_HANDLED;
	}
	spin_unlock(&vec->lock);
	if (ret == IRQ_HANDLED)
		uio_event_notify(&udev->info);
	return ret;
}

/* Mask INTx at the device; callers hold udev->lock. */
static void uio_msi_intx_mask(struct uio_msi_dev *udev)
{
	struct uio_msi_vector *vec = &udev->vectors[0];

	spin_lock_irq(&vec->lock);
	if (!udev->intx_masked) {
		pci_intx(udev->pdev, 0);
		udev->intx_masked = true;
	}
	spin_unlock_irq(&vec->lock);
}

static void uio_msi_free_irqs(struct uio_msi_dev *udev, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		free_irq(udev->vectors[i].irq, &udev->vectors[i]);
}

/*
 * Called with udev->lock held, no vectors requested and bus mastering off:
 * put the function back into the state probe found it in.  A function reset
 * (FLR, PM or bus reset, whatever the PCI core finds) stops what the last
 * user started and clears its ring addresses on devices whose reset does
 * that; then the config space saved at probe is restored.  This is what
 * vfio_pci_core_enable() and vfio_pci_core_disable()
 * (drivers/vfio/pci/vfio_pci_core.c) do on open and last close.  Many
 * devices have no reset that stops their DMA engines (QEMU's e1000e has
 * only a PM reset, which keeps the MAC registers), which is why bus
 * mastering stays off until user space, having reset the device its own
 * way, sends UIO_MSI_CMD_DMA_ENABLE.
 *
 * Returns -EAGAIN if the device is busy (locked for a reset or removal
 * elsewhere), as vfio_pci_core_enable() does; @must_reset false (the last
 * close) carries on without the reset then.
 */
static int uio_msi_reset(struct uio_msi_dev *udev, bool must_reset)
{
	struct pci_dev *pdev = udev->pdev;
	int ret;

	pci_clear_master(pdev);
	ret = pci_try_reset_function(pdev);
	if (ret == -EAGAIN && must_reset)
		return ret;
	if (udev->saved_state) {
		pci_load_saved_state(pdev, udev->saved_state);
		pci_restore_state(pdev);
	}
	/* The saved state has INTx disabled and bus mastering off already. */
	pci_clear_master(pdev);
	return 0;
}

/* Called with udev->lock held on the first open. */
static int uio_msi_start(struct uio_msi_dev *udev)
{
	irq_handler_t handler = udev->mode == UIO_MSI_MODE_INTX ?
				uio_msi_intx_handler : uio_msi_msi_handler;
	unsigned long flags = udev->mode == UIO_MSI_MODE_INTX ? IRQF_SHARED : 0;
	unsigned int i;
	int ret;

	ret = uio_msi_reset(udev, true);
	if (ret) {
		pci_warn(udev->pdev, "cannot reset the device for a new user (busy): %d\n",
			 ret);
		return ret;
	}
	for (i = 0; i < udev->num_vectors; i++) {
		struct uio_msi_vector *vec = &udev->vectors[i];

		ret = request_irq(vec->irq, handler, flags, vec->name, vec);
		if (ret) {
			pci_err(udev->pdev, "cannot request IRQ %u for vector %u: %d\n",
				vec->irq, i, ret);
			uio_msi_free_irqs(udev, i);
			return ret;
		}
	}
	udev->irqs_requested = true;
	/* No pci_set_master(): DMA waits for UIO_MSI_CMD_DMA_ENABLE. */
	if (udev->mode == UIO_MSI_MODE_INTX) {
		struct uio_msi_vector *vec = &udev->vectors[0];

		spin_lock_irq(&vec->lock);
		udev->intx_masked = false;
		pci_intx(udev->pdev, 1);
		spin_unlock_irq(&vec->lock);
	}
	return 0;
}

/*
 * Called with udev->lock held on the last close and on removal: stop the
 * device's DMA first, then its interrupts, then drop every binding, so a
 * process that died with the device running leaves nothing behind.
 */
static void uio_msi_stop(struct uio_msi_dev *udev)
{
	unsigned int i;

	if (!udev->irqs_requested)
		return;
	if (udev->mode == UIO_MSI_MODE_INTX)
		uio_msi_intx_mask(udev);
	pci_clear_master(udev->pdev);
	uio_msi_free_irqs(udev, udev->num_vectors);
	udev->irqs_requested = false;

	for (i = 0; i < udev->num_vectors; i++) {
		struct uio_msi_vector *vec = &udev->vectors[i];
		struct eventfd_ctx *old;

		spin_lock_irq(&vec->lock);
		old = vec->trigger;
		vec->trigger = NULL;
		spin_unlock_irq(&vec->lock);
		if (old)
			eventfd_ctx_put(old);
	}
}

/* Called with udev->lock held: remember @inode's address space. */
static int uio_msi_track_inode(struct uio_msi_dev *udev, struct inode *inode)
{
	struct uio_msi_inode *t;

	list_for_each_entry(t, &udev->inodes, node)
		if (t->inode == inode)
			return 0;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	ihold(inode);
	t->inode = inode;
	list_add(&t->node, &udev->inodes);
	return 0;
}

/*
 * Called with udev->lock held.  With @zap, first tear down every mapping of
 * the BARs that user space still holds: unmap_mapping_range() removes the
 * PTEs from every process, so the next access faults, and the UIO core's
 * vm_ops have no fault handler, so that is SIGBUS, never the device (or the
 * next device at that address).  vfio_pci_zap_bars()
 * (drivers/vfio/pci/vfio_pci_core.c) invalidates its BAR mappings the same
 * way.
 */
static void uio_msi_release_inodes(struct uio_msi_dev *udev, bool zap)
{
	struct uio_msi_inode *t, *next;

	list_for_each_entry_safe(t, next, &udev->inodes, node) {
		if (zap)
			unmap_mapping_range(t->inode->i_mapping, 0, 0, true);
		list_del(&t->node);
		iput(t->inode);
		kfree(t);
	}
}

static int uio_msi_open(struct uio_info *info, struct inode *inode)
{
	struct uio_msi_dev *udev = info->priv;
	int ret = 0;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	/* Lockdown may have been raised since the device was bound. */
	ret = uio_msi_locked_down();
	if (ret)
		return ret;

	mutex_lock(&udev->lock);
	if (udev->removed) {
		ret = -ENODEV;
	} else {
		ret = uio_msi_track_inode(udev, inode);
		if (!ret && udev->open_count == 0)
			ret = uio_msi_start(udev);
		if (!ret)
			udev->open_count++;
		else if (udev->open_count == 0)
			uio_msi_release_inodes(udev, false);
	}
	mutex_unlock(&udev->lock);
	return ret;
}

static int uio_msi_release(struct uio_info *info, struct inode *inode)
{
	struct uio_msi_dev *udev = info->priv;

	mutex_lock(&udev->lock);
	if (udev->open_count && --udev->open_count == 0 && !udev->removed) {
		uio_msi_stop(udev);
		uio_msi_reset(udev, false);
		/* Every file is closed, so no mapping is left. */
		uio_msi_release_inodes(udev, false);
	}
	mutex_unlock(&udev->lock);
	return 0;
}

/*
 * Called with udev->lock held.  @ctx is the new eventfd (NULL unbinds); its
 * reference passes to the vector.
 */
static int uio_msi_set_trigger(struct uio_msi_dev *udev, u32 vector,
			       struct eventfd_ctx *ctx)
{
	struct uio_msi_vector *vec;
	struct eventfd_ctx *old;

	if (vector >= udev->num_vectors) {
		if (ctx)
			eventfd_ctx_put(ctx);
		return -ERANGE;
	}
	vec = &udev->vectors[vector];
	spin_lock_irq(&vec->lock);
	old = vec->trigger;
	vec->trigger = ctx;
	spin_unlock_irq(&vec->lock);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

/* Called with udev->lock held. */
static int uio_msi_set_eventfd(struct uio_msi_dev *udev, u32 vector, u32 fd)
{
	struct eventfd_ctx *ctx;

	if (vector >= udev->num_vectors)
		return -ERANGE;
	/* Runs in the writer's context, so @fd is the writer's. */
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	return uio_msi_set_trigger(udev, vector, ctx);
}

/* Called with udev->lock held. */
static int uio_msi_intx_control(struct uio_msi_dev *udev, bool unmask)
{
	struct uio_msi_vector *vec = &udev->vectors[0];
	bool resignal = false;

	if (udev->mode != UIO_MSI_MODE_INTX)
		return unmask ? 0 : -EINVAL;
	if (!unmask) {
		uio_msi_intx_mask(udev);
		return 0;
	}
	/*
	 * Unmask only a masked line, and only if the device no longer asserts
	 * it.  If it still does, the event is not over: tell user space again
	 * (eventfd and read()/poll()) instead of taking an interrupt storm.
	 * An unmasked line has nothing pending to report.  As
	 * vfio_pci_intx_unmask_handler() in drivers/vfio/pci/vfio_pci_intrs.c.
	 */
	spin_lock_irq(&vec->lock);
	if (udev->intx_masked) {
		if (pci_check_and_unmask_intx(udev->pdev)) {
			udev->intx_masked = false;
		} else {
			uio_msi_signal_locked(vec);
			resignal = true;
		}
	}
	spin_unlock_irq(&vec->lock);
	if (resignal)
		uio_event_notify(&udev->info);
	return 0;
}

/*
 * Called with udev->lock held.  Bus mastering is the user's to turn on once
 * it has reset the device and pointed it at its own memory; turning it off
 * again is allowed at any time (the last close does it anyway).
 */
static int uio_msi_dma_control(struct uio_msi_dev *udev, bool enable)
{
	if (enable)
		pci_set_master(udev->pdev);
	else
		pci_clear_master(udev->pdev);
	return 0;
}

static int uio_msi_irqcontrol(struct uio_info *info, s32 cmd)
{
	struct uio_msi_dev *udev = info->priv;
	u32 word = (u32)cmd;
	u32 op, vector, fd;
	int ret;

	if (cmd < 0)
		return -EINVAL;
	op = (word >> UIO_MSI_OP_SHIFT) & UIO_MSI_OP_MASK;
	vector = (word >> UIO_MSI_VECTOR_SHIFT) & UIO_MSI_VECTOR_MASK;
	fd = word & UIO_MSI_FD_MASK;

	mutex_lock(&udev->lock);
	if (udev->removed || !udev->irqs_requested)
		ret = -ENODEV;
	else if (op == UIO_MSI_OP_SET_EVENTFD)
		ret = uio_msi_set_eventfd(udev, vector, fd);
	else if (op == UIO_MSI_OP_UNBIND_EVENTFD && fd == 0)
		ret = uio_msi_set_trigger(udev, vector, NULL);
	else if (op == UIO_MSI_OP_INTX && (word == 0 || word == 1))
		ret = uio_msi_intx_control(udev, word == 1);
	else if (op == UIO_MSI_OP_DMA && vector == 0 && fd <= 1)
		ret = uio_msi_dma_control(udev, fd == 1);
	else if (op == UIO_MSI_OP_CHECK && vector == 0 && fd == 0)
		ret = 0;	/* still bound; -ENODEV above if not */
	else
		ret = -EINVAL;
	mutex_unlock(&udev->lock);
	return ret;
}

static ssize_t irq_mode_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct uio_msi_dev *udev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", uio_msi_mode_names[udev->mode]);
}
static DEVICE_ATTR_RO(irq_mode);

static ssize_t num_vectors_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct uio_msi_dev *udev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", udev->num_vectors);
}
static DEVICE_ATTR_RO(num_vectors);

static struct attribute *uio_msi_attrs[] = {
	&dev_attr_irq_mode.attr,
	&dev_attr_num_vectors.attr,
	NULL,
};

static const struct attribute_group uio_msi_group = {
	.name = UIO_MSI_SYSFS_GROUP,
	.attrs = uio_msi_attrs,
};

static const struct attribute_group *uio_msi_groups[] = {
	&uio_msi_group,
	NULL,
};

/*
 * Pick the best interrupt mode the device and platform offer.  Returns the
 * number of vectors (0 for a device that can only be polled).
 */
static int uio_msi_alloc_vectors(struct pci_dev *pdev, enum uio_msi_mode best,
				 enum uio_msi_mode *mode)
{
	unsigned int limit = clamp_val(max_vectors, 1, UIO_MSI_MAX_VECTORS);
	int n;

	if (best >= UIO_MSI_MODE_MSIX) {
		n = pci_alloc_irq_vectors(pdev, 1, limit, PCI_IRQ_MSIX);
		if (n > 0) {
			*mode = UIO_MSI_MODE_MSIX;
			return n;
		}
	}
	if (best >= UIO_MSI_MODE_MSI) {
		n = pci_alloc_irq_vectors(pdev, 1, limit, PCI_IRQ_MSI);
		if (n > 0) {
			*mode = UIO_MSI_MODE_MSI;
			return n;
		}
	}
	/* Probe made sure a connected line can be masked at the device. */
	if (best >= UIO_MSI_MODE_INTX && uio_msi_has_intx(pdev)) {
		n = pci_alloc_irq_vectors(pdev, 1, 1, UIO_MSI_PCI_IRQ_INTX);
		if (n > 0) {
			*mode = UIO_MSI_MODE_INTX;
			return n;
		}
	}
	*mode = UIO_MSI_MODE_NONE;
	return 0;
}

static void uio_msi_setup_bars(struct uio_msi_dev *udev)
{
	struct pci_dev *pdev = udev->pdev;
	unsigned int nmem = 0, nport = 0;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		resource_size_t start = pci_resource_start(pdev, bar);
		resource_size_t len = pci_resource_len(pdev, bar);
		unsigned long flags = pci_resource_flags(pdev, bar);

		if (!start || !len)
			continue;
		if (flags & IORESOURCE_MEM) {
			struct uio_mem *mem;

			if (nmem >= MAX_UIO_MAPS) {
				pci_warn(pdev, "BAR%d not exported: UIO allows only %d maps\n",
					 bar, MAX_UIO_MAPS);
				continue;
			}
			snprintf(udev->mem_names[nmem], sizeof(udev->mem_names[0]),
				 "BAR%d", bar);
			mem = &udev->info.mem[nmem];
			mem->name = udev->mem_names[nmem++];
			mem->addr = start;
			mem->size = len;
			mem->memtype = UIO_MEM_PHYS;
		} else if (flags & IORESOURCE_IO) {
			struct uio_port *port;

			if (nport >= MAX_UIO_PORT_REGIONS) {
				pci_warn(pdev, "BAR%d not exported: UIO allows only %d port regions\n",
					 bar, MAX_UIO_PORT_REGIONS);
				continue;
			}
			snprintf(udev->port_names[nport], sizeof(udev->port_names[0]),
				 "BAR%d", bar);
			port = &udev->info.port[nport];
			port->name = udev->port_names[nport++];
			port->start = start;
			port->size = len;
			port->porttype = UIO_PORT_X86;
		}
	}
}

/* True if an IOMMU translates the device's DMA addresses. */
static bool uio_msi_iommu_translates(struct pci_dev *pdev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(&pdev->dev);

	return domain && domain->type != IOMMU_DOMAIN_IDENTITY;
}

static int uio_msi_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct uio_msi_dev *udev;
	enum uio_msi_mode mode;
	unsigned int i;
	int best, nvec, ret;

	if (!allow_unsafe_dma) {
		pci_err(pdev, "refusing to bind: user space would control this device's DMA without IOMMU protection; load uio_msi with %s=1 to accept that, or bind vfio-pci instead\n",
			UIO_MSI_PARAM_ALLOW_UNSAFE_DMA);
		return -EPERM;
	}
	best = uio_msi_best_mode();
	if (best < 0) {
		pci_err(pdev, "refusing to bind: irq_mode parameter must be msix, msi, intx or none\n");
		return -EINVAL;
	}
	/*
	 * Only endpoints: a bridge forwards other devices' traffic, and
	 * clearing its bus mastering (as probe does) cuts off everything
	 * behind it.  vfio-pci refuses them the same way
	 * (vfio_pci_core_register_device() in drivers/vfio/pci/vfio_pci_core.c).
	 */
	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL) {
		pci_err(pdev, "refusing to bind: not a normal (type 0) PCI function; bridges and CardBus bridges are not supported\n");
		return -EINVAL;
	}
	ret = uio_msi_locked_down();
	if (ret) {
		pci_err(pdev, "refusing to bind: the kernel is locked down, which forbids user space access to PCI devices\n");
		return ret;
	}
	if (uio_msi_iommu_translates(pdev)) {
		pci_err(pdev, "refusing to bind: an IOMMU translates this device's DMA, so user space physical addresses would not work; bind vfio-pci instead\n");
		return -EOPNOTSUPP;
	}

	ret = pci_enable_device(pdev);
	if (ret) {
		pci_err(pdev, "cannot enable device: %d\n", ret);
		return ret;
	}
	ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret) {
		pci_err(pdev, "cannot claim BARs (another driver owns them?): %d\n",
			ret);
		goto err_disable;
	}
	/* Nobody may DMA until a user opens the device. */
	pci_clear_master(pdev);
	/*
	 * A connected INTx line we cannot mask at the device could be left
	 * asserted with no handler (and flood a shared line), so refuse such
	 * devices, as uio_pci_generic's probe() does
	 * (drivers/uio/uio_pci_generic.c).
	 */
	if (uio_msi_has_intx(pdev) && !pci_intx_mask_supported(pdev)) {
		pci_err(pdev, "refusing to bind: the device has an INTx line but cannot mask it (pre-PCI 2.3)\n");
		ret = -ENODEV;
		goto err_release;
	}

	nvec = uio_msi_alloc_vectors(pdev, best, &mode);
	/*
	 * INTx stays disabled at the device in every mode until a user opens
	 * it in INTx mode: in "none" mode (and before open in "intx" mode)
	 * nothing would handle it.  After the allocation, which enables INTx
	 * in "intx" mode.
	 */
	if (uio_msi_has_intx(pdev))
		pci_intx(pdev, 0);
	udev = kzalloc(struct_size(udev, vectors, nvec), GFP_KERNEL);
	if (!udev) {
		ret = -ENOMEM;
		goto err_vectors;
	}
	udev->num_vectors = nvec;
	udev->pdev = pdev;
	/* INTx disabled, bus mastering off, vectors set up: the clean state. */
	pci_save_state(pdev);
	udev->saved_state = pci_store_saved_state(pdev);
	if (!udev->saved_state)
		pci_warn(pdev, "cannot keep the config space; a user's config changes will survive its session\n");
	udev->mode = mode;
	mutex_init(&udev->lock);
	INIT_LIST_HEAD(&udev->inodes);
	for (i = 0; i < nvec; i++) {
		struct uio_msi_vector *vec = &udev->vectors[i];

		vec->udev = udev;
		vec->irq = pci_irq_vector(pdev, i);
		spin_lock_init(&vec->lock);
		snprintf(vec->name, sizeof(vec->name), "uio_msi[%s]-%u",
			 pci_name(pdev), i);
	}
	/* Masked until the first open, which unmasks it. */
	udev->intx_masked = true;

	udev->info.name = KBUILD_MODNAME;
	udev->info.version = DRIVER_VERSION;
	/* We request the IRQs ourselves, per vector, on open. */
	udev->info.irq = UIO_IRQ_CUSTOM;
	udev->info.irqcontrol = uio_msi_irqcontrol;
	udev->info.open = uio_msi_open;
	udev->info.release = uio_msi_release;
	udev->info.priv = udev;
	uio_msi_setup_bars(udev);

	pci_set_drvdata(pdev, udev);
	ret = uio_register_device(&pdev->dev, &udev->info);
	if (ret) {
		pci_err(pdev, "cannot register UIO device: %d\n", ret);
		goto err_free;
	}

	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	pci_warn(pdev, "bound with %u %s vector(s); user space controls its DMA without IOMMU protection, tainting kernel\n",
		 nvec, uio_msi_mode_names[mode]);
	return 0;

err_free:
	pci_set_drvdata(pdev, NULL);
	kfree(udev->saved_state);
	kfree(udev);
err_vectors:
	pci_free_irq_vectors(pdev);
err_release:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void uio_msi_remove(struct pci_dev *pdev)
{
	struct uio_msi_dev *udev = pci_get_drvdata(pdev);
	unsigned int i;

	/*
	 * Quiesce before unregistering: once the UIO device is gone the core
	 * no longer calls release(), and the handlers must not notify it.
	 * A user asleep on an eventfd is woken first (a bound eventfd is
	 * signalled once more), so it can notice the removal: its commands
	 * then fail with ENODEV (EIO once the UIO device is gone).
	 */
	mutex_lock(&udev->lock);
	udev->removed = true;
	if (udev->open_count) {
		pci_warn(pdev, "removed while open by user space; waking its eventfds, freeing interrupts, clearing bus mastering, invalidating its BAR mappings\n");
		for (i = 0; i < udev->num_vectors; i++) {
			struct uio_msi_vector *vec = &udev->vectors[i];

			spin_lock_irq(&vec->lock);
			uio_msi_signal_locked(vec);
			spin_unlock_irq(&vec->lock);
		}
	}
	uio_msi_stop(udev);
	mutex_unlock(&udev->lock);

	/* Wakes read()/poll() sleepers; no mmap() of this device after it. */
	uio_unregister_device(&udev->info);
	/* Now no new mapping can appear: zap the ones user space still holds. */
	mutex_lock(&udev->lock);
	uio_msi_release_inodes(udev, true);
	mutex_unlock(&udev->lock);

	pci_free_irq_vectors(pdev);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	pci_set_drvdata(pdev, NULL);
	kfree(udev->saved_state);
	kfree(udev);
}

static struct pci_driver uio_msi_driver = {
	.name = KBUILD_MODNAME,
	/* No id table: devices are bound explicitly via new_id or driver_override. */
	.id_table = NULL,
	.probe = uio_msi_probe,
	.remove = uio_msi_remove,
	.dev_groups = uio_msi_groups,
};

module_pci_driver(uio_msi_driver);

MODULE_VERSION(DRIVER_VERSION);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("the wirespeed authors");
MODULE_DESCRIPTION("UIO driver for PCI functions with per-vector eventfd interrupts (MSI-X, MSI, INTx)");
