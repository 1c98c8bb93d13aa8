/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * DMA memory for real devices: 2 MiB hugepages from a hugetlbfs mount, locked in RAM, with their
 * physical addresses as IOVAs (the device is bound to {@code uio_msi}, so no IOMMU translates its
 * addresses; a hugepage is physically contiguous, which makes each 2 MiB chunk one DMA block).
 *
 * <p>Each region is a file in the mount that is unlinked as soon as it is mapped, so nothing is left
 * behind in the mount even if the process dies; the mapping alone keeps the pages.
 */
public final class HugepageDmaDomain implements DmaDomain {
    public static final long CHUNK_SIZE = Hugepages.PAGE_SIZE;
    private static final int CHUNK_SHIFT = Long.numberOfTrailingZeros(CHUNK_SIZE);
    private static final AtomicLong FILE_SEQUENCE = new AtomicLong();

    private final Hugepages hugepages;
    private final Path mount;
    private final Pagemap pagemap;
    private final String name;
    private final LiveRegions regions;

    private HugepageDmaDomain(Hugepages hugepages, Path mount, Pagemap pagemap) {
        this.hugepages = hugepages;
        this.mount = mount;
        this.pagemap = pagemap;
        this.name = "hugetlbfs " + mount;
        this.regions = new LiveRegions(name, CHUNK_SHIFT);
    }

    /** Uses the first 2 MiB hugetlbfs mount of this machine. */
    public static HugepageDmaDomain open() {
        return open(Hugepages.system());
    }

    /** Uses the 2 MiB hugetlbfs mounted at {@code mount}. */
    public static HugepageDmaDomain open(Path mount) {
        return open(Hugepages.system(), mount);
    }

    /** Uses the first 2 MiB hugetlbfs mount listed by {@code hugepages}. */
    public static HugepageDmaDomain open(Hugepages hugepages) {
        Hugepages.Mount m = hugepages.findMount().orElseThrow(() -> new DmaException(noMountMessage()));
        return new HugepageDmaDomain(hugepages, m.directory(), Pagemap.open());
    }

    /** Uses the 2 MiB hugetlbfs at {@code mount}, which {@code hugepages} must list. */
    public static HugepageDmaDomain open(Hugepages hugepages, Path mount) {
        if (hugepages.mountAt(mount).isEmpty()) {
            throw new DmaException(mount + " is not a hugetlbfs mount with 2 MiB pages (see /proc/mounts). "
                    + "Mount one: mkdir -p " + mount + " && mount -t hugetlbfs -o pagesize=2M nodev " + mount
                    + ", or bin/hugepages mount " + mount);
        }
        return new HugepageDmaDomain(hugepages, mount, Pagemap.open());
    }

    @Override
    public DmaRegion allocate(long size, String purpose) {
        long chunks = regions.chunksFor(size, purpose);
        long bytes = chunks << CHUNK_SHIFT;
        // Checked up front for a clear message; mmap below still fails if another process wins the race.
        Hugepages.Pool pool = hugepages.pool();
        if (pool.available() < chunks) {
            throw new DmaException(notEnoughMessage(purpose, chunks, pool, hugepages.nrHugepagesFile()));
        }
        MemorySegment mapped = mapHugepageFile(bytes, chunks, purpose);
        long[] chunkIovas;
        try {
            requirePopulated(mapped, purpose);
            lock(mapped, purpose);
            touch(mapped);
            chunkIovas = translate(mapped, (int) chunks, purpose);
        } catch (RuntimeException e) {
            unmapQuietly(mapped, e);
            throw e;
        }
        return regions.publish(mapped, chunkIovas, purpose, () -> {
            LibC.munlock(mapped);
            LibC.munmap(mapped);
        });
    }

    /** Creates, sizes and maps a fresh file in the mount, then removes its name: only the mapping remains. */
    private MemorySegment mapHugepageFile(long bytes, long chunks, String purpose) {
        String path = mount.resolve("wirespeed-dma-" + LibC.getpid() + "-" + FILE_SEQUENCE.incrementAndGet()).toString();
        int fd;
        try {
            fd = LibC.open(path, LibC.O_CREAT | LibC.O_EXCL | LibC.O_RDWR | LibC.O_CLOEXEC, 0600);
        } catch (ErrnoException e) {
            throw new DmaException("cannot create a hugepage file in " + mount + " for " + purpose + ": " + e.getMessage()
                    + (e.errno() == Errno.EACCES || e.errno() == Errno.EPERM
                            ? ". The mount must be writable by this user: run as root, or mount it with"
                                    + " -o uid=<user>,gid=<group> or -o mode=1777"
                            : ""), e);
        }
        try {
            LibC.ftruncate(fd, bytes);
            // MAP_POPULATE faults every hugepage in now, while a shortage is an error we can report,
            // rather than a SIGBUS at the first touch later.
            return LibC.mmap(bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, fd, 0);
        } catch (ErrnoException e) {
            // hugetlbfs reserves a shared mapping's pages in mmap, so a shortage shows here, as ENOMEM (or
            // ENOSPC on older kernels when the mount's size= limit is hit).
            if (e.errno() == Errno.ENOMEM || e.errno() == Errno.ENOSPC) {
                Hugepages.Pool now = hugepages.pool();
                if (now.available() < chunks) { // another process took them since the check
                    throw new DmaException(notEnoughMessage(purpose, chunks, now, hugepages.nrHugepagesFile()), e);
                }
                throw new DmaException("the hugetlbfs at " + mount + " refused " + chunks + " hugepages for " + purpose
                        + " although the pool has " + now.available() + " available: the mount's size= option (see"
                        + " /proc/mounts) or a hugetlb cgroup limit caps it. Remount it without size=, or use another mount", e);
            }
            throw new DmaException("cannot map " + bytes + " bytes of hugepages from " + path + " for " + purpose
                    + ": " + e.getMessage(), e);
        } finally {
            try {
                LibC.unlink(path); // nothing stays in the mount, whatever happens next
            } finally {
                LibC.close(fd); // the mapping keeps the file's pages alive
            }
        }
    }

    /**
     * MAP_POPULATE does not report failure: a hugepage it could not get is simply absent, and touching
     * it would kill the JVM with SIGBUS. Pagemap's present bit shows the gap without touching.
     */
    private void requirePopulated(MemorySegment mapped, String purpose) {
        for (long offset = 0; offset < mapped.byteSize(); offset += CHUNK_SIZE) {
            if (!pagemap.isPresent(mapped.address() + offset)) {
                throw new DmaException("hugepage " + (offset >>> CHUNK_SHIFT) + " of " + purpose
                        + " could not be allocated (another process took the free hugepages, or a hugetlb cgroup limit"
                        + " applies): " + poolSummary(hugepages.pool()) + ". " + reserveAdvice(mapped.byteSize() >>> CHUNK_SHIFT,
                        hugepages.pool(), hugepages.nrHugepagesFile()));
            }
        }
    }

    private static void lock(MemorySegment mapped, String purpose) {
        try {
            LibC.mlock(mapped);
        } catch (ErrnoException e) {
            throw new DmaException(lockFailedMessage(purpose, mapped.byteSize(), e), e);
        }
    }

    /** Reads and rewrites one byte per hugepage, so each is mapped writable in this process's page tables. */
    private static void touch(MemorySegment mapped) {
        for (long offset = 0; offset < mapped.byteSize(); offset += CHUNK_SIZE) {
            mapped.set(JAVA_BYTE, offset, mapped.get(JAVA_BYTE, offset));
        }
    }

    /** The physical address of each chunk, after checking that the chunk is one contiguous block. */
    private long[] translate(MemorySegment mapped, int chunks, String purpose) {
        long[] iovas = new long[chunks];
        for (int i = 0; i < chunks; i++) {
            long virtual = mapped.address() + ((long) i << CHUNK_SHIFT);
            long first = pagemap.physicalAddress(virtual);
            long lastPage = pagemap.physicalAddress(virtual + CHUNK_SIZE - Pagemap.BASE_PAGE_SIZE);
            if ((first & (CHUNK_SIZE - 1)) != 0 || lastPage != first + CHUNK_SIZE - Pagemap.BASE_PAGE_SIZE) {
                throw new DmaException("chunk " + i + " of " + purpose + " is not one physically contiguous 2 MiB page"
                        + " (starts at physical 0x" + Long.toHexString(first) + ", last 4 KiB page at 0x"
                        + Long.toHexString(lastPage) + "): is " + mount + " really a hugetlbfs with pagesize=2M?");
            }
            iovas[i] = first;
        }
        return iovas;
    }

    private static void unmapQuietly(MemorySegment mapped, RuntimeException failure) {
        try {
            LibC.munmap(mapped); // also undoes mlock
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    static String noMountMessage() {
        return "no hugetlbfs with 2 MiB pages is mounted (none in /proc/mounts); DMA memory for real devices comes from one."
                + " Mount one: mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages,"
                + " or bin/hugepages mount";
    }

    static String notEnoughMessage(String purpose, long needed, Hugepages.Pool pool, Path nrHugepagesFile) {
        return purpose + " needs " + needed + " free 2 MiB hugepage" + (needed == 1 ? "" : "s") + " but only "
                + pool.available() + " " + (pool.available() == 1 ? "is" : "are") + " available (" + poolSummary(pool) + "). "
                + reserveAdvice(needed, pool, nrHugepagesFile);
    }

    static String lockFailedMessage(String purpose, long bytes, ErrnoException e) {
        String why = e.errno() == Errno.ENOMEM || e.errno() == Errno.EPERM
                ? "the locked-memory limit (ulimit -l) is too low for " + (bytes >> 10) + " KiB."
                        + " Raise it with 'ulimit -l unlimited' (or LimitMEMLOCK=infinity in a systemd unit,"
                        + " a memlock line in /etc/security/limits.conf), or run as root"
                : e.getMessage();
        return "cannot lock " + purpose + " in RAM (a device must never see its DMA memory move): " + why;
    }

    private static String poolSummary(Hugepages.Pool pool) {
        return "pool: total " + pool.total() + ", free " + pool.free() + ", reserved " + pool.reserved()
                + ", surplus " + pool.surplus();
    }

    private static String reserveAdvice(long needed, Hugepages.Pool pool, Path nrHugepagesFile) {
        long target = pool.total() + Math.max(1, needed - pool.available());
        return "Reserve more as root: echo " + target + " > " + nrHugepagesFile + " (or sysctl -w vm.nr_hugepages="
                + target + ", or bin/hugepages reserve " + target + ")";
    }

    @Override
    public long chunkSize() {
        return CHUNK_SIZE;
    }

    @Override
    public String name() {
        return name;
    }

    /** The hugetlbfs mount point the memory comes from. */
    public Path mount() {
        return mount;
    }

    @Override
    public void close() {
        regions.closeAll();
        pagemap.close();
    }

    @Override
    public String toString() {
        return "HugepageDmaDomain[" + mount + "]";
    }
}
