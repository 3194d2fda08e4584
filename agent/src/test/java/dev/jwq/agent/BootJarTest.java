package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The versioned classes of the boot jar, which the bootstrap class path would otherwise never see. */
class BootJarTest {
    @TempDir
    Path dir;

    private Path jar(Map<String, String> entries) throws Exception {
        Path jar = dir.resolve("mr.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Map<String, String> read(byte[] jar) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void eachVersionedEntryComesFromTheHighestVersionUpToTheJdksAtItsPlainName() throws Exception {
        Path mr = jar(Map.of(
                "a/X.class", "root X",
                "a/Root.class", "root only",
                "META-INF/versions/22/a/X.class", "X for 22",
                "META-INF/versions/24/a/X.class", "X for 24",
                "META-INF/versions/22/a/Y.class", "Y for 22",
                "META-INF/versions/30/a/Z.class", "Z for 30"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BootJar.writeVersionedEntries(mr, 25, out);
        assertEquals(Map.of("a/X.class", "X for 24", "a/Y.class", "Y for 22"), read(out.toByteArray()));

        ByteArrayOutputStream none = new ByteArrayOutputStream();
        BootJar.writeVersionedEntries(mr, 21, none);
        assertEquals(Map.of(), read(none.toByteArray()));
    }
}
