# shellcheck shell=bash
# igb-guest-boot: iommu
# Issue 15: the igb VFs driven by pmd-igb-vf through vfio-pci instead of
# uio_msi, every DMA through QEMU's emulated Intel IOMMU (vfio_iommu_type1
# gives vfio devices a translated domain of their own even under iommu=pt).
# The scenario is 30-l2fwd.sh's, run as it is: bring-up of both VFs, ping and
# TCP both ways through l2fwd, its --idle interrupt sleeps and wake-ups, clean
# stop; the only change is that l2fwd's two VFs sit on vfio-pci (so
# PciPortDriver picks the VFIO backend and l2fwd's pools are IOMMU-mapped
# 4 KiB pages, not hugepages).
eval "$(declare -f igb_fresh | sed '1s/^igb_fresh/igb_fresh_uio/')"
igb_fresh() {
	igb_fresh_uio "$@" || return 1
	igb_bind "${IGB_VF[0]}" vfio-pci && igb_bind "${IGB_VF[1]}" vfio-pci || return 1
	echo "VF 0 (${IGB_VF[0]}) and VF 1 (${IGB_VF[1]}) on vfio-pci: IOMMU groups" \
		"$(basename "$(readlink "/sys/bus/pci/devices/${IGB_VF[0]}/iommu_group")")" \
		"$(basename "$(readlink "/sys/bus/pci/devices/${IGB_VF[1]}/iommu_group")")"
}
# shellcheck source=30-l2fwd.sh
. "$IGB_GUEST_DIR/scenarios/30-l2fwd.sh"
if [ "$(basename "$(readlink "/sys/bus/pci/devices/${IGB_VF[0]}/driver")")" = vfio-pci ]; then
	pass "the l2fwd ports above were VFs on vfio-pci (${IGB_VF[0]}, ${IGB_VF[1]}), opened through the VFIO backend"
else
	fail "the l2fwd ports were on vfio-pci" "VF 0 is on $(basename "$(readlink "/sys/bus/pci/devices/${IGB_VF[0]}/driver")")"
fi
grep -q 'vfio' fresh4.out && cat fresh4.out | sed 's/^/   /'
