package dev.wirespeed.ixgbevf;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

public final class ThreadLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreadLeakCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", new HashSet<>(Thread.getAllStackTraces().keySet()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) throws Exception {
        Set<Thread> before = (Set<Thread>) context.getStore(NS).get("before");
        for (Thread t : Thread.getAllStackTraces().keySet()) { if (!before.contains(t) && t.isAlive()) System.err.println("LEAKNOW " + context.getRequiredTestClass().getName() + " '" + t.getName() + "' " + t.getState()); }
        long deadline = System.nanoTime() + 3_000_000_000L;
        Set<Thread> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive()
                    && !t.getName().startsWith("surefire") && !t.getName().equals("emulator-timer")).collect(Collectors.toSet());
            if (left.isEmpty()) break;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        for (Thread t : left) {
            StackTraceElement[] st = t.getStackTrace();
            System.err.println("LEAKCHECK " + context.getRequiredTestClass().getName() + " left thread '" + t.getName()
                    + "' daemon=" + t.isDaemon() + " state=" + t.getState() + " at "
                    + Arrays.stream(st).limit(4).map(String::valueOf).collect(Collectors.joining(" <- ")));
        }
    }
}
