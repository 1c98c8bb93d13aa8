/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed device string: {@code scheme:[positional][,key=value]...}.
 *
 * <p>Examples: {@code pci:0000:03:10.0}, {@code null:size=64,copy=1}, {@code ring:link0},
 * {@code emu:wire=pair:A,mac=02:00:00:00:00:01}. The positional part is the text before the first comma
 * when it has no '='. A value may contain ':' but not ','. Keys are case-sensitive and may appear once.
 */
public final class DeviceSpec {
    private final String text;
    private final String scheme;
    private final String positional;
    private final Map<String, String> options;

    private DeviceSpec(String text, String scheme, String positional, Map<String, String> options) {
        this.text = text;
        this.scheme = scheme;
        this.positional = positional;
        this.options = Collections.unmodifiableMap(options);
    }

    public static DeviceSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty device string: expected scheme:options, e.g. null:size=64 or pci:0000:03:10.0");
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("device '" + t + "' has no scheme: expected scheme:options, e.g. null:size=64, ring:link0, pci:0000:03:10.0");
        }
        String scheme = t.substring(0, colon);
        String rest = t.substring(colon + 1);
        String positional = null;
        Map<String, String> options = new LinkedHashMap<>();
        if (!rest.isEmpty()) {
            String[] items = rest.split(",", -1);
            for (int i = 0; i < items.length; i++) {
                String item = items[i].trim();
                int eq = item.indexOf('=');
                if (eq < 0) {
                    if (i != 0 || item.isEmpty()) {
                        throw new IllegalArgumentException("device '" + t + "': option '" + item + "' is not key=value");
                    }
                    positional = item;
                    continue;
                }
                String key = item.substring(0, eq).trim();
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("device '" + t + "': option '" + item + "' has no key");
                }
                if (options.put(key, item.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException("device '" + t + "': option '" + key + "' given twice");
                }
            }
        }
        return new DeviceSpec(t, scheme, positional, options);
    }

    public String text() {
        return text;
    }

    public String scheme() {
        return scheme;
    }

    /** The positional part (a PCI address, a ring name), or null. */
    public String positional() {
        return positional;
    }

    public Map<String, String> options() {
        return options;
    }

    /** Fails naming the first option that is not in {@code known}, listing the known ones. */
    public DeviceSpec requireOnly(Set<String> known) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("device '" + text + "': unknown option '" + key + "'; "
                        + scheme + " ports take " + (known.isEmpty() ? "no options" : String.join(", ", new TreeSet<>(known))));
            }
        }
        return this;
    }

    public String string(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.decode(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("device '" + text + "': option '" + key + "' must be " + min + ".." + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device '" + text + "': option '" + key + "' must be a number, got '" + v + "'");
        }
    }

    public boolean flag(String key, boolean defaultValue) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v) {
            case "1", "on", "true", "yes" -> true;
            case "0", "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("device '" + text + "': option '" + key + "' must be on/off (or 1/0), got '" + v + "'");
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
