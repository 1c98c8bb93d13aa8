# shellcheck shell=bash
# The stack under wirespeed, before any wirespeed code runs: Linux's igb PF made
# VFs (8086:10ca) on QEMU's model, they bound to uio_msi through driver_override
# with MSI-X and three vectors (devbind's view of them is the uio_msi suite's
# business; a JVM start costs about a minute here).
for i in "${!IGB_VF[@]}"; do
	vf=${IGB_VF[i]}
	d=/sys/bus/pci/devices/$vf
	id="$(cat "$d/vendor"):$(cat "$d/device")"
	uio=$(ls "$d/uio" 2>/dev/null | head -1)
	if [ "$id" = 0x8086:0x10ca ] && [ "$(igb_driver_of "$vf")" = uio_msi ] && [ -c "/dev/$uio" ] &&
		[ "$(cat "$d/uio_msi/irq_mode" 2>/dev/null)" = msix ] && [ "$(cat "$d/uio_msi/num_vectors" 2>/dev/null)" = 3 ]; then
		pass "VF $i $vf ($id) on uio_msi as /dev/$uio, MSI-X, 3 vectors"
	else
		fail "VF $i $vf on uio_msi" "id $id, driver $(igb_driver_of "$vf"), uio '$uio', irq_mode $(cat "$d/uio_msi/irq_mode" 2>&1), num_vectors $(cat "$d/uio_msi/num_vectors" 2>&1)"
	fi
done
