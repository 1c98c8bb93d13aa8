# shellcheck shell=bash
# (f) Bad input: Ports.open refuses, with a message that says what to do, and
# takes no buffer:
#  - a VF bound to igbvf (the message names igbvf and how to get uio_msi);
#  - the igb PF itself (not a VF: the message says it is an SR-IOV physical
#    function and to use one of its VFs);
#  - a VF address the PF has not created (VF 2 of 2: the message must say
#    that VFs exist only once SR-IOV is enabled on the PF).
# One JVM for the three (each JVM start costs ~a minute under TCG).
PROBE=dev.wirespeed.igbvf.guest.IgbGuestProbe
igb_modprobe igbvf
igb_bind "${IGB_VF[1]}" igbvf || fail "VF 1 on igbvf" "bind failed"
missing=${IGB_VF[1]%.*}.4
jrun refuse.out "$PROBE" refuse bad-input "pci:${IGB_VF[1]}" "igbvf,uio_msi" \
	"pci:$IGB_PF_BDF" "SR-IOV physical function,use one of its virtual functions,it has 2" \
	"pci:$missing" "SR-IOV" || true
sed -n 's/^IGB_MESSAGE /   message: /p' refuse.out
