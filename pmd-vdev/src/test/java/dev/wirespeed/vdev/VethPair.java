/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

/**
 * A veth pair in this namespace for one test, named after the JVM's pid and a tag, up, without IPv6
 * (so the kernel sends no router or neighbour solicitations of its own on it). Deleting one end deletes both.
 */
public final class VethPair implements AutoCloseable {
    public final String a;
    public final String b;

    public VethPair(String tag) {
        String base = "wsv" + ProcessHandle.current().pid() % 100_000 + tag;
        a = base + "a";
        b = base + "b";
        Sh.run("ip link del " + a);
        Sh.ok("ip link add " + a + " type veth peer name " + b);
        for (String i : new String[] {a, b}) {
            Sh.run("sysctl -qw net.ipv6.conf." + i + ".disable_ipv6=1");
            Sh.ok("ip link set dev " + i + " up");
        }
    }

    @Override
    public void close() {
        Sh.run("ip link del " + a);
    }
}
