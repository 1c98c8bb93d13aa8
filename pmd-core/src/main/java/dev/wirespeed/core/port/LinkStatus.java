/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

/** Link state as the port last saw it. {@code speedMbps} is 0 when unknown or down. */
public record LinkStatus(boolean up, int speedMbps, boolean fullDuplex) {
    public static final LinkStatus DOWN = new LinkStatus(false, 0, false);

    @Override
    public String toString() {
        if (!up) {
            return "down";
        }
        String speed = speedMbps == 0 ? "unknown speed" : speedMbps >= 1000 && speedMbps % 1000 == 0
                ? speedMbps / 1000 + " Gbit/s" : speedMbps + " Mbit/s";
        return "up, " + speed + (fullDuplex ? ", full duplex" : ", half duplex");
    }
}
