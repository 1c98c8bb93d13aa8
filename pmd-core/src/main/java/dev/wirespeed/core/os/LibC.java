/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one place that owns the native linker and the C library's method handles.
 *
 * <p>Every method is a typed Java wrapper around one libc call. A call that fails throws
 * {@link ErrnoException} naming the call, the arguments that matter and errno; nothing here returns
 * -1 to the caller. Errno is captured by the linker ({@code captureCallState}) into a per-thread
 * segment.
 *
 * <p>Hot calls (once per burst or per wake-up: sendto kick, TAP read/write, eventfd read/write,
 * epoll_wait) go through {@link HotCalls} first: a capturing downcall allocates a slice of the capture
 * segment on every call ({@code SharedUtils.checkCaptureSegment}) that only C2's escape analysis removes,
 * and only where it happens to inline the whole downcall; a plain downcall allocates nothing, interpreted
 * or compiled. The capturing handle is used only after a plain call failed (see {@link HotCalls}).
 */
public final class LibC {
    // <fcntl.h>, <sys/mman.h>, <sys/eventfd.h>, <sys/epoll.h>, <sys/mman.h> memfd flags (x86_64 values).
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_TRUNC = 0x200;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_SYNC = 0x101000;
    public static final int O_CLOEXEC = 0x80000;

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_HUGETLB = 0x40000;
    public static final int MADV_DONTFORK = 10;

    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    public static final int EFD_CLOEXEC = O_CLOEXEC;

    public static final int EPOLL_CLOEXEC = O_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;

    public static final int MFD_CLOEXEC = 1;
    public static final int MFD_HUGETLB = 4;

    /** {@code struct epoll_event} is packed on x86_64: a u32 event mask then a u64 of user data. */
    public static final StructLayout EPOLL_EVENT = MemoryLayout.structLayout(
            JAVA_INT.withName("events"),
            JAVA_LONG.withByteAlignment(4).withName("data"));
    public static final long EPOLL_EVENT_SIZE = EPOLL_EVENT.byteSize();

    /** Size of the CPU mask passed to sched_setaffinity: 1024 CPUs, glibc's {@code cpu_set_t}. */
    public static final int CPU_SET_BYTES = 128;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Per-thread errno capture area; reused by every call on that thread. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final MethodHandle OPEN = variadic("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle PREAD = downcall("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE = downcall("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MLOCK = downcall("mlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MUNLOCK = downcall("munlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MADVISE = downcall("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle IOCTL_PTR = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final MethodHandle IOCTL_LONG = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    private static final MethodHandle EVENTFD = downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle MEMFD_CREATE = downcall("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = downcall("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle UNLINK = downcall("unlink", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SCHED_SETAFFINITY = downcall("sched_setaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_GETAFFINITY = downcall("sched_getaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_GETCPU = downcall("sched_getcpu", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SIGACTION = downcall("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETRLIMIT = downcall("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle GETPID = plain("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETEUID = plain("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETTID = plain("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle STRERROR = plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    private LibC() {
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE_ERRNO);
    }

    private static MethodHandle variadic(String name, FunctionDescriptor fd, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** A downcall without errno capture: allocates nothing per call, for {@link HotCalls}. */
    static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    private static MemorySegment capture() {
        return CAPTURE.get();
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** Wraps a Throwable from invokeExact; the handles above cannot throw checked exceptions. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---------------------------------------------------------------- files

    public static int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture();
            int fd = (int) OPEN.invokeExact(cap, arena.allocateFrom(path), flags, mode);
            if (fd < 0) {
                throw new ErrnoException("open(\"" + path + "\", " + openFlags(flags) + ")", errno(cap));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int open(String path, int flags) {
        return open(path, flags, 0);
    }

    public static void close(int fd) {
        try {
            MemorySegment cap = capture();
            int rc = (int) CLOSE.invokeExact(cap, fd);
            if (rc < 0) {
                throw new ErrnoException("close(" + fd + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reads up to {@code length} bytes into {@code buf}; returns the count (0 at end of file). */
    public static long read(int fd, MemorySegment buf, long length) {
        checkLength(buf, length);
        try {
            MemorySegment cap = capture();
            long n = (long) READ.invokeExact(cap, fd, buf, length);
            if (n < 0) {
                throw new ErrnoException("read(fd " + fd + ", " + length + " bytes)", errno(cap));
            }
            return n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Like {@link #read} but returns {@code -errno} for {@code EAGAIN} instead of throwing, for non-blocking
     * descriptors polled on the idle path.
     */
    public static long readNonBlocking(int fd, MemorySegment buf, long length) {
        long n = readOrErrno(fd, buf, length);
        if (n < 0 && n != -Errno.EAGAIN) {
            throw new ErrnoException("read(fd " + fd + ", " + length + " bytes)", (int) -n);
        }
        return n;
    }

    /** {@code write}; allocates nothing unless it fails (eventfd signals and interrupt unmasking use it per wake-up). */
    public static long write(int fd, MemorySegment buf, long length) {
        long n = writeOrErrno(fd, buf, length);
        if (n < 0) {
            throw new ErrnoException("write(fd " + fd + ", " + length + " bytes)", (int) -n);
        }
        return n;
    }

    public static long pread(int fd, MemorySegment buf, long length, long offset) {
        checkLength(buf, length);
        try {
            MemorySegment cap = capture();
            long n = (long) PREAD.invokeExact(cap, fd, buf, length, offset);
            if (n < 0) {
                throw new ErrnoException("pread(fd " + fd + ", " + length + " bytes, offset 0x" + Long.toHexString(offset) + ")", errno(cap));
            }
            return n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pwrite(int fd, MemorySegment buf, long length, long offset) {
        checkLength(buf, length);
        try {
            MemorySegment cap = capture();
            long n = (long) PWRITE.invokeExact(cap, fd, buf, length, offset);
            if (n < 0) {
                throw new ErrnoException("pwrite(fd " + fd + ", " + length + " bytes, offset 0x" + Long.toHexString(offset) + ")", errno(cap));
            }
            return n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void ftruncate(int fd, long length) {
        try {
            MemorySegment cap = capture();
            int rc = (int) FTRUNCATE.invokeExact(cap, fd, length);
            if (rc < 0) {
                throw new ErrnoException("ftruncate(fd " + fd + ", " + length + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void unlink(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture();
            int rc = (int) UNLINK.invokeExact(cap, arena.allocateFrom(path));
            if (rc < 0) {
                throw new ErrnoException("unlink(\"" + path + "\")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int memfdCreate(String name, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture();
            int fd = (int) MEMFD_CREATE.invokeExact(cap, arena.allocateFrom(name), flags);
            if (fd < 0) {
                throw new ErrnoException("memfd_create(\"" + name + "\", 0x" + Integer.toHexString(flags) + ")", errno(cap));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- memory

    /**
     * Maps {@code length} bytes and returns a segment of exactly that size. The segment is not tied to
     * an arena: the caller must {@link #munmap} it (see {@link MappedMemory}).
     */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment cap = capture();
            MemorySegment addr = (MemorySegment) MMAP.invokeExact(cap, MemorySegment.NULL, length, prot, flags, fd, offset);
            if (addr.address() == MAP_FAILED.address()) {
                throw new ErrnoException("mmap(" + length + " bytes, prot 0x" + Integer.toHexString(prot) + ", flags 0x"
                        + Integer.toHexString(flags) + ", fd " + fd + ", offset 0x" + Long.toHexString(offset) + ")", errno(cap));
            }
            return addr.reinterpret(length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void munmap(MemorySegment segment) {
        try {
            MemorySegment cap = capture();
            int rc = (int) MUNMAP.invokeExact(cap, segment, segment.byteSize());
            if (rc < 0) {
                throw new ErrnoException("munmap(0x" + Long.toHexString(segment.address()) + ", " + segment.byteSize() + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void mlock(MemorySegment segment) {
        try {
            MemorySegment cap = capture();
            int rc = (int) MLOCK.invokeExact(cap, segment, segment.byteSize());
            if (rc < 0) {
                int err = errno(cap);
                throw new ErrnoException("mlock(0x" + Long.toHexString(segment.address()) + ", " + segment.byteSize() + ")", err,
                        err == Errno.ENOMEM || err == Errno.EPERM
                                ? "The locked-memory limit is too low: raise it with 'ulimit -l unlimited' or run as root"
                                : null);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void munlock(MemorySegment segment) {
        try {
            MemorySegment cap = capture();
            int rc = (int) MUNLOCK.invokeExact(cap, segment, segment.byteSize());
            if (rc < 0) {
                throw new ErrnoException("munlock(0x" + Long.toHexString(segment.address()) + ", " + segment.byteSize() + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void madvise(MemorySegment segment, int advice) {
        try {
            MemorySegment cap = capture();
            int rc = (int) MADVISE.invokeExact(cap, segment, segment.byteSize(), advice);
            if (rc < 0) {
                throw new ErrnoException("madvise(0x" + Long.toHexString(segment.address()) + ", " + segment.byteSize() + ", " + advice + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- ioctl

    /** {@code ioctl(fd, request, arg)} with a pointer argument; returns the (non-negative) result. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            MemorySegment cap = capture();
            int rc = (int) IOCTL_PTR.invokeExact(cap, fd, request, arg);
            if (rc < 0) {
                throw new ErrnoException("ioctl(fd " + fd + ", 0x" + Long.toHexString(request) + ")", errno(cap));
            }
            return rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ioctl(fd, request, value)} with an integer argument. */
    public static int ioctl(int fd, long request, long value) {
        try {
            MemorySegment cap = capture();
            int rc = (int) IOCTL_LONG.invokeExact(cap, fd, request, value);
            if (rc < 0) {
                throw new ErrnoException("ioctl(fd " + fd + ", 0x" + Long.toHexString(request) + ", " + value + ")", errno(cap));
            }
            return rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- eventfd and epoll

    public static int eventfd(int initval, int flags) {
        try {
            MemorySegment cap = capture();
            int fd = (int) EVENTFD.invokeExact(cap, initval, flags);
            if (fd < 0) {
                throw new ErrnoException("eventfd(" + initval + ", 0x" + Integer.toHexString(flags) + ")", errno(cap));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int epollCreate1(int flags) {
        try {
            MemorySegment cap = capture();
            int fd = (int) EPOLL_CREATE1.invokeExact(cap, flags);
            if (fd < 0) {
                throw new ErrnoException("epoll_create1(0x" + Integer.toHexString(flags) + ")", errno(cap));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code epoll_ctl}; {@code event} is an {@link #EPOLL_EVENT} (may be NULL for DEL). */
    public static void epollCtl(int epfd, int op, int fd, MemorySegment event) {
        try {
            MemorySegment cap = capture();
            int rc = (int) EPOLL_CTL.invokeExact(cap, epfd, op, fd, event);
            if (rc < 0) {
                throw new ErrnoException("epoll_ctl(epfd " + epfd + ", op " + op + ", fd " + fd + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code epoll_wait}; returns the number of ready events, or 0 on timeout. An interrupted wait
     * ({@code EINTR}, e.g. a signal or a debugger) also returns 0: callers treat it as a spurious wake-up.
     */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        int n = HotCalls.epollWait(epfd, events, maxEvents, timeoutMillis);
        if (n >= 0) {
            return n;
        }
        // Failed: learn errno from a capturing call that cannot block. A wait cut short (EINTR) is answered
        // with what is ready now; a bad descriptor or buffer fails again and is reported.
        try {
            MemorySegment cap = capture();
            n = (int) EPOLL_WAIT.invokeExact(cap, epfd, events, maxEvents, 0);
            if (n < 0) {
                int err = errno(cap);
                if (err == Errno.EINTR) {
                    return 0;
                }
                throw new ErrnoException("epoll_wait(epfd " + epfd + ", " + maxEvents + " events, " + timeoutMillis + " ms)", err);
            }
            return n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- scheduling and identity

    /** Pins thread {@code tid} (0 = the calling thread) to the CPUs whose bits are set in {@code mask}. */
    public static void schedSetAffinity(int tid, MemorySegment mask) {
        try {
            MemorySegment cap = capture();
            int rc = (int) SCHED_SETAFFINITY.invokeExact(cap, tid, mask.byteSize(), mask);
            if (rc < 0) {
                throw new ErrnoException("sched_setaffinity(tid " + tid + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void schedGetAffinity(int tid, MemorySegment mask) {
        try {
            MemorySegment cap = capture();
            int rc = (int) SCHED_GETAFFINITY.invokeExact(cap, tid, mask.byteSize(), mask);
            if (rc < 0) {
                throw new ErrnoException("sched_getaffinity(tid " + tid + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int schedGetCpu() {
        try {
            MemorySegment cap = capture();
            int cpu = (int) SCHED_GETCPU.invokeExact(cap);
            if (cpu < 0) {
                throw new ErrnoException("sched_getcpu()", errno(cap));
            }
            return cpu;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** SIGINT's number on Linux. */
    public static final int SIGINT = 2;
    /**
     * glibc's {@code struct sigaction} is 152 bytes on x86-64 and aarch64, {@code sa_handler} first; room for
     * more, so a larger layout elsewhere cannot be overrun.
     */
    private static final long SIGACTION_SIZE = 256;
    private static final long SIG_DFL = 0, SIG_IGN = 1;

    /** Whether {@code signal}'s disposition is "ignore" (SIG_IGN), as a shell leaves SIGINT for a background job. */
    public static boolean signalIgnored(int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGACTION_SIZE, 8);
            MemorySegment cap = capture();
            int rc = (int) SIGACTION.invokeExact(cap, signal, MemorySegment.NULL, old);
            if (rc < 0) {
                throw new ErrnoException("sigaction(" + signal + ", NULL, &old)", errno(cap));
            }
            return old.get(JAVA_LONG, 0) == SIG_IGN;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sets {@code signal}'s disposition to the default (SIG_DFL). The JVM installs its own handler for
     * SIGINT, SIGTERM and SIGHUP only if the signal is not ignored when the handler is registered: this
     * undoes an inherited "ignore" so that a registration afterwards takes effect.
     */
    public static void defaultSignalAction(int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = arena.allocate(SIGACTION_SIZE, 8); // zeroed: SIG_DFL, empty mask, no flags
            act.set(JAVA_LONG, 0, SIG_DFL);
            MemorySegment cap = capture();
            int rc = (int) SIGACTION.invokeExact(cap, signal, act, MemorySegment.NULL);
            if (rc < 0) {
                throw new ErrnoException("sigaction(" + signal + ", SIG_DFL)", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code RLIMIT_MEMLOCK}'s number on Linux: the limit on memory a process may lock or pin (VFIO DMA mappings count). */
    public static final int RLIMIT_MEMLOCK = 8;
    /** {@code RLIM_INFINITY}: all ones in glibc's 64-bit {@code rlim_t}. */
    public static final long RLIM_INFINITY = -1L;

    /**
     * The soft limit of resource {@code resource} ({@code getrlimit}'s {@code rlim_cur}), in bytes for memory limits;
     * {@link #RLIM_INFINITY} when unlimited. {@code struct rlimit} is two 64-bit words on x86-64, soft first.
     */
    public static long getrlimitSoft(int resource) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(2 * Long.BYTES, Long.BYTES);
            MemorySegment cap = capture();
            int rc = (int) GETRLIMIT.invokeExact(cap, resource, limit);
            if (rc < 0) {
                throw new ErrnoException("getrlimit(" + resource + ")", errno(cap));
            }
            return limit.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The effective user id (0 for root). */
    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The C library's description of {@code errno}. */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "unknown error" : s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- sockets (pmd-vdev: af_packet, tap)
    // One block: constants, handles and wrappers of the socket calls the virtual-device ports use.

    /** {@code <sys/socket.h>}, {@code <linux/if_ether.h>} (x86_64 values). */
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_PACKET = 17;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_NONBLOCK = O_NONBLOCK;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    public static final int SOL_SOCKET = 1;
    public static final int MSG_DONTWAIT = 0x40;

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /** {@code socket(domain, type, protocol)}; {@code what} names the call's arguments in the message, e.g. "AF_PACKET, SOCK_RAW". */
    public static int socket(int domain, int type, int protocol, String what) {
        try {
            MemorySegment cap = capture();
            int fd = (int) SOCKET.invokeExact(cap, domain, type, protocol);
            if (fd < 0) {
                throw new ErrnoException("socket(" + what + ")", errno(cap));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code bind(fd, addr, addr.byteSize())}; {@code what} describes the address for the message. */
    public static void bind(int fd, MemorySegment addr, String what) {
        try {
            MemorySegment cap = capture();
            int rc = (int) BIND.invokeExact(cap, fd, addr, (int) addr.byteSize());
            if (rc < 0) {
                throw new ErrnoException("bind(fd " + fd + ", " + what + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code setsockopt(fd, level, name, value, value.byteSize())}; {@code what} is the option's name, e.g. PACKET_RX_RING. */
    public static void setsockopt(int fd, int level, int name, MemorySegment value, String what) {
        try {
            MemorySegment cap = capture();
            int rc = (int) SETSOCKOPT.invokeExact(cap, fd, level, name, value, (int) value.byteSize());
            if (rc < 0) {
                throw new ErrnoException("setsockopt(fd " + fd + ", " + what + ")", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code getsockopt} into {@code value} (its size is the buffer length); returns the length the kernel wrote. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) value.byteSize());
            MemorySegment cap = capture();
            int rc = (int) GETSOCKOPT.invokeExact(cap, fd, level, name, value, len);
            if (rc < 0) {
                throw new ErrnoException("getsockopt(fd " + fd + ", " + what + ")", errno(cap));
            }
            return len.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code sendto(fd, buf, length, flags, NULL, 0)} for the hot path: returns the byte count, or
     * {@code -errno} on any failure instead of throwing (a transmit burst counts errors, it does not stop).
     * {@code buf} may be {@link MemorySegment#NULL} with length 0 (an af_packet tx ring's kick).
     */
    public static long sendOrErrno(int fd, MemorySegment buf, long length, int flags) {
        long n = HotCalls.sendto(fd, buf, length, flags);
        if (n >= 0) {
            return n;
        }
        // Failed: send again through the capturing handle to learn why. Only a zero-length kick of an af_packet
        // tx ring is sent here (nothing is sent twice: the ring's frames go once, whichever call takes them);
        // a transient refusal (EAGAIN, ENOBUFS) may succeed now, which is what a retry should do.
        try {
            MemorySegment cap = capture();
            n = (long) SENDTO.invokeExact(cap, fd, buf, length, flags, MemorySegment.NULL, 0);
            return n < 0 ? -errno(cap) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code write} for the hot path: the byte count, or {@code -errno} on any failure instead of throwing.
     * Allocates nothing unless the write fails; {@code fd} must be non-blocking or never fill up. A failed
     * write wrote nothing, so it is tried once more through the capturing handle to learn errno. Not guessed
     * from poll as a read's EAGAIN is: a TAP that is down refuses writes (EIO) while poll says "not writable",
     * the same answer as a full queue, and the caller must drop and count those frames, not keep them.
     */
    public static long writeOrErrno(int fd, MemorySegment buf, long length) {
        checkLength(buf, length);
        long n = HotCalls.write(fd, buf, length);
        if (n >= 0) {
            return n;
        }
        try {
            MemorySegment cap = capture();
            n = (long) WRITE.invokeExact(cap, fd, buf, length);
            return n < 0 ? -errno(cap) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code read} of a non-blocking descriptor for the hot path: the byte count, or {@code -errno} on any
     * failure instead of throwing. Allocates nothing when data is read or none is there ({@code -EAGAIN},
     * found out with {@code poll}); only another failure costs a capturing read to learn errno.
     */
    public static long readOrErrno(int fd, MemorySegment buf, long length) {
        checkLength(buf, length);
        long n = HotCalls.read(fd, buf, length);
        if (n >= 0) {
            return n;
        }
        if (HotCalls.wouldBlock(fd, HotCalls.POLLIN)) {
            return -Errno.EAGAIN;
        }
        try {
            MemorySegment cap = capture();
            n = (long) READ.invokeExact(cap, fd, buf, length);
            return n < 0 ? -errno(cap) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The interface index of {@code name}; ENODEV when there is no such interface in this network namespace. */
    public static int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture();
            int index = (int) IF_NAMETOINDEX.invokeExact(cap, arena.allocateFrom(name));
            if (index == 0) {
                throw new ErrnoException("if_nametoindex(\"" + name + "\")", errno(cap));
            }
            return index;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void checkLength(MemorySegment buf, long length) {
        if (length < 0 || length > buf.byteSize()) {
            throw new IndexOutOfBoundsException("length " + length + " outside a buffer of " + buf.byteSize() + " bytes");
        }
    }

    static String openFlags(int flags) {
        StringBuilder sb = new StringBuilder(switch (flags & 3) {
            case O_WRONLY -> "O_WRONLY";
            case O_RDWR -> "O_RDWR";
            default -> "O_RDONLY";
        });
        if ((flags & O_CREAT) != 0) {
            sb.append("|O_CREAT");
        }
        if ((flags & O_EXCL) != 0) {
            sb.append("|O_EXCL");
        }
        if ((flags & O_TRUNC) != 0) {
            sb.append("|O_TRUNC");
        }
        if ((flags & O_NONBLOCK) != 0) {
            sb.append("|O_NONBLOCK");
        }
        if ((flags & O_SYNC) == O_SYNC) {
            sb.append("|O_SYNC");
        }
        if ((flags & O_CLOEXEC) != 0) {
            sb.append("|O_CLOEXEC");
        }
        return sb.toString();
    }

    /** Value layout of a C {@code uint64_t} as the kernel exchanges it with eventfds. */
    static final ValueLayout.OfLong U64 = JAVA_LONG;
}
