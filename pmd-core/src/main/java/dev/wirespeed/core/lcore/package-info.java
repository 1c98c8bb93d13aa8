/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Poll-loop threads: an {@link dev.wirespeed.core.lcore.Lcore} runs one Agrona agent, optionally pinned to a
 * CPU chosen from a {@link dev.wirespeed.core.lcore.CpuList}, and reports the CPU time it used.
 */
package dev.wirespeed.core.lcore;
