/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.os.Ioctl;

/**
 * The VFIO user ABI this backend speaks: ioctl numbers, flags and struct layouts, all from Linux's
 * {@code include/uapi/linux/vfio.h} (the "type1" IOMMU, the group/container interface and vfio-pci's fixed
 * region and IRQ indices). Every VFIO ioctl is {@code _IO(';', 100 + n)}: the argument size is not in the
 * request number, each struct carries it in its first word ({@code argsz}).
 */
final class VfioAbi {
    static final String DRIVER = "vfio-pci";
    /** vfio.h VFIO_API_VERSION: what VFIO_GET_API_VERSION answers. */
    static final int API_VERSION = 0;

    private static final int TYPE = ';';
    private static final int BASE = 100;

    // Container (/dev/vfio/vfio)
    static final long GET_API_VERSION = io(0);
    static final long CHECK_EXTENSION = io(1);
    static final long SET_IOMMU = io(2);
    // Group (/dev/vfio/N)
    static final long GROUP_GET_STATUS = io(3);
    static final long GROUP_SET_CONTAINER = io(4);
    static final long GROUP_GET_DEVICE_FD = io(6);
    // Device
    static final long DEVICE_GET_INFO = io(7);
    static final long DEVICE_GET_REGION_INFO = io(8);
    static final long DEVICE_GET_IRQ_INFO = io(9);
    static final long DEVICE_SET_IRQS = io(10);
    static final long DEVICE_RESET = io(11);
    // Type1 IOMMU (on the container once SET_IOMMU ran)
    static final long IOMMU_MAP_DMA = io(13);
    static final long IOMMU_UNMAP_DMA = io(14);

    /** Extensions (CHECK_EXTENSION / SET_IOMMU argument). */
    static final int TYPE1V2_IOMMU = 3;
    static final int NOIOMMU_IOMMU = 8;

    /** struct vfio_group_status {argsz, flags}. */
    static final int GROUP_STATUS_SIZE = 8;
    static final int GROUP_FLAGS_VIABLE = 1;
    static final int GROUP_FLAGS_CONTAINER_SET = 1 << 1;

    /** struct vfio_device_info {argsz, flags, num_regions, num_irqs, cap_offset, pad}. */
    static final int DEVICE_INFO_SIZE = 24;
    static final int DEVICE_FLAGS_RESET = 1;
    static final int DEVICE_FLAGS_PCI = 1 << 1;

    /** struct vfio_region_info {argsz, flags, index, cap_offset, u64 size, u64 offset}. */
    static final int REGION_INFO_SIZE = 32;
    static final int REGION_INFO_FLAG_READ = 1;
    static final int REGION_INFO_FLAG_WRITE = 1 << 1;
    static final int REGION_INFO_FLAG_MMAP = 1 << 2;
    static final int REGION_INFO_FLAG_CAPS = 1 << 3;
    static final int REGION_OFFSET_SIZE = 16;
    static final int REGION_OFFSET_OFFSET = 24;

    /** struct vfio_irq_info {argsz, flags, index, count}. */
    static final int IRQ_INFO_SIZE = 16;
    static final int IRQ_INFO_EVENTFD = 1;
    static final int IRQ_INFO_MASKABLE = 1 << 1;
    static final int IRQ_INFO_AUTOMASKED = 1 << 2;
    static final int IRQ_INFO_NORESIZE = 1 << 3;

    /** struct vfio_irq_set {argsz, flags, index, start, count, u8 data[]}. */
    static final int IRQ_SET_HEADER_SIZE = 20;
    static final int IRQ_SET_DATA_NONE = 1;
    static final int IRQ_SET_DATA_EVENTFD = 1 << 2;
    static final int IRQ_SET_ACTION_UNMASK = 1 << 4;
    static final int IRQ_SET_ACTION_TRIGGER = 1 << 5;

    /** struct vfio_iommu_type1_dma_map {argsz, flags, u64 vaddr, u64 iova, u64 size}. */
    static final int DMA_MAP_SIZE = 32;
    static final int DMA_MAP_FLAG_READ = 1;
    static final int DMA_MAP_FLAG_WRITE = 1 << 1;
    /** struct vfio_iommu_type1_dma_unmap {argsz, flags, u64 iova, u64 size}. */
    static final int DMA_UNMAP_SIZE = 24;

    /** vfio-pci's fixed region indices: BAR0-5 are 0-5, then ROM, then config space. */
    static final int PCI_CONFIG_REGION_INDEX = 7;
    /** vfio-pci's IRQ indices. */
    static final int PCI_INTX_IRQ_INDEX = 0;
    static final int PCI_MSI_IRQ_INDEX = 1;
    static final int PCI_MSIX_IRQ_INDEX = 2;

    private VfioAbi() {
    }

    private static long io(int n) {
        return Ioctl.io(TYPE, BASE + n);
    }

    /** An IRQ index's name, for messages. */
    static String irqIndexName(int index) {
        return switch (index) {
            case PCI_INTX_IRQ_INDEX -> "INTx";
            case PCI_MSI_IRQ_INDEX -> "MSI";
            case PCI_MSIX_IRQ_INDEX -> "MSI-X";
            default -> "IRQ index " + index;
        };
    }
}
