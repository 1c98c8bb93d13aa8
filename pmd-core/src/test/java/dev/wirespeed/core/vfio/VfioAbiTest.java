/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request numbers against the values Linux's {@code include/uapi/linux/vfio.h} yields
 * ({@code _IO(';', 100 + n)}, so 0x3b64 + n), as strace prints them for QEMU and DPDK.
 */
class VfioAbiTest {
    @Test
    void ioctlNumbersAreThoseOfVfioH() {
        assertThat(VfioAbi.GET_API_VERSION).isEqualTo(0x3b64);
        assertThat(VfioAbi.CHECK_EXTENSION).isEqualTo(0x3b65);
        assertThat(VfioAbi.SET_IOMMU).isEqualTo(0x3b66);
        assertThat(VfioAbi.GROUP_GET_STATUS).isEqualTo(0x3b67);
        assertThat(VfioAbi.GROUP_SET_CONTAINER).isEqualTo(0x3b68);
        assertThat(VfioAbi.GROUP_GET_DEVICE_FD).isEqualTo(0x3b6a);
        assertThat(VfioAbi.DEVICE_GET_INFO).isEqualTo(0x3b6b);
        assertThat(VfioAbi.DEVICE_GET_REGION_INFO).isEqualTo(0x3b6c);
        assertThat(VfioAbi.DEVICE_GET_IRQ_INFO).isEqualTo(0x3b6d);
        assertThat(VfioAbi.DEVICE_SET_IRQS).isEqualTo(0x3b6e);
        assertThat(VfioAbi.DEVICE_RESET).isEqualTo(0x3b6f);
        assertThat(VfioAbi.IOMMU_MAP_DMA).isEqualTo(0x3b71);
        assertThat(VfioAbi.IOMMU_UNMAP_DMA).isEqualTo(0x3b72);
    }

    @Test
    void structSizesMatchTheHeader() {
        // vfio_region_info: 4 u32 then two __aligned_u64; vfio_iommu_type1_dma_map: 2 u32 then 3 u64.
        assertThat(VfioAbi.REGION_INFO_SIZE).isEqualTo(4 * 4 + 2 * 8);
        assertThat(VfioAbi.REGION_OFFSET_OFFSET).isEqualTo(VfioAbi.REGION_OFFSET_SIZE + 8);
        assertThat(VfioAbi.DMA_MAP_SIZE).isEqualTo(2 * 4 + 3 * 8);
        assertThat(VfioAbi.DMA_UNMAP_SIZE).isEqualTo(2 * 4 + 2 * 8);
        assertThat(VfioAbi.IRQ_SET_HEADER_SIZE).isEqualTo(5 * 4);
        assertThat(VfioAbi.DEVICE_INFO_SIZE).isEqualTo(6 * 4);
    }
}
