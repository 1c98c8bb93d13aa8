/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device;

/**
 * A register access faulted because the device's mapping was taken away: the function was unbound from its
 * kernel driver or unplugged while this process had it open (uio_msi and vfio invalidate the mappings then,
 * so an access can never reach the next device bound there). The port cannot be used any more: stop and close it.
 */
public final class DeviceGoneException extends IllegalStateException {
    public DeviceGoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
