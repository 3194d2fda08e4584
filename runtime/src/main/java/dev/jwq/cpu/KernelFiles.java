package dev.jwq.cpu;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the kernel's small text files ({@code /proc}, {@code /sys}) through {@code java.io}.
 * Internal.
 *
 * <p>Why not {@code java.nio.file}: the first workqueue of a process reads these files, and a
 * process's first NIO file access loads libnio and libnet and about eighty classes, 5.7-6.8 ms
 * against 1.4-1.5 ms for a {@code FileInputStream} (measured on JDK 25, see
 * {@code bench/results/s1206/ab-s32/NioT.java.txt}); {@code java.io} is already up in every JVM.
 */
public final class KernelFiles {
    private KernelFiles() {}

    /**
     * The whole text of {@code file}, trimmed, or null when it cannot be read (missing, not a
     * file, no permission). The kernel's files are ASCII; bytes are taken as Latin-1, which needs
     * no decoder.
     */
    public static String read(File file) {
        try (FileInputStream in = new FileInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
