/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The PF's shared VLAN pool filter (VLVF): each entry is one VLAN id and the set of pools (VFs) that
 * accept it. The number of distinct VLAN ids is limited (64 entries on the 82599 family); a VF asking
 * for one more is refused. VLAN 0 has an entry of its own that is never used up (ixgbe_find_vlvf_slot
 * returns slot 0 for it), so it does not count against the capacity. Guarded by the PF lock.
 */
final class VlanFilterTable {
    private final int capacity;
    private final Map<Integer, Set<Integer>> pools = new HashMap<>();

    VlanFilterTable(int capacity) {
        this.capacity = capacity;
    }

    /** Adds pool {@code vf} to VLAN {@code vid}; false if the table is full. */
    boolean add(int vf, int vid) {
        Set<Integer> s = pools.get(vid);
        if (s == null) {
            if (vid != 0 && used() >= capacity) {
                return false;
            }
            s = new HashSet<>();
            pools.put(vid, s);
        }
        s.add(vf);
        return true;
    }

    void remove(int vf, int vid) {
        Set<Integer> s = pools.get(vid);
        if (s != null && s.remove(vf) && s.isEmpty()) {
            pools.remove(vid);
        }
    }

    void removeAll(int vf) {
        pools.values().removeIf(s -> s.remove(vf) && s.isEmpty());
    }

    /** VLAN ids other than 0 in the table. */
    int used() {
        return pools.size() - (pools.containsKey(0) ? 1 : 0);
    }
}
