package dev.jwq.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Puts the jwq runtime and the agent's helpers on the bootstrap class path, from the jar nested in
 * the agent jar, so that rewritten call sites in classes of any class loader and advice inlined
 * into JDK classes all reach one copy of them.
 *
 * <p>The nested jar is extracted once per content (named by its CRC and size) into a directory
 * only the current user may write, and reused by later runs: start-up then costs no copying.
 */
final class BootJar {
    static final String ENTRY = "META-INF/jwq/jwq-boot.jar.bin";

    private BootJar() {}

    static void append(Instrumentation inst) throws IOException, URISyntaxException {
        Path agentJar = Path.of(BootJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            ZipEntry entry = jar.getEntry(ENTRY);
            if (entry == null) {
                throw new IOException(agentJar + " has no " + ENTRY);
            }
            Path dir = privateDir();
            String name = "jwq-boot-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize();
            Path target = dir.resolve(name + ".jar");
            if (!Files.isRegularFile(target) || Files.size(target) != entry.getSize()) {
                writeOnce(target, out -> {
                    try (InputStream in = jar.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                });
            }
            int feature = Runtime.version().feature();
            Path versioned = dir.resolve(name + "-java" + feature + ".jar");
            if (!Files.isRegularFile(versioned)) {
                writeOnce(versioned, out -> writeVersionedEntries(target, feature, out));
            }
            // The bootstrap class path ignores multi-release jars: the classes of this JDK's
            // version (the runtime's FFM part) go first, from a jar of their own at its root.
            inst.appendToBootstrapClassLoaderSearch(new JarFile(versioned.toFile()));
            inst.appendToBootstrapClassLoaderSearch(new JarFile(target.toFile()));
        }
    }

    /**
     * Writes a jar of the entries under {@code META-INF/versions/N/} of {@code mrJar} for the
     * highest N up to {@code feature} of each, at their unversioned names (what a multi-release
     * aware class loader would pick on this JDK).
     */
    static void writeVersionedEntries(Path mrJar, int feature, OutputStream out) throws IOException {
        Map<String, ZipEntry> chosen = new TreeMap<>();
        Map<String, Integer> chosenVersion = new HashMap<>();
        try (JarFile jar = new JarFile(mrJar.toFile())) {
            for (ZipEntry e : Collections.list(jar.entries())) {
                Matcher m = VERSIONED.matcher(e.getName());
                if (e.isDirectory() || !m.matches()) {
                    continue;
                }
                int version = Integer.parseInt(m.group(1));
                String name = m.group(2);
                if (version <= feature && version > chosenVersion.getOrDefault(name, 0)) {
                    chosen.put(name, e);
                    chosenVersion.put(name, version);
                }
            }
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, ZipEntry> e : chosen.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    try (InputStream in = jar.getInputStream(e.getValue())) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
        }
    }

    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/(\\d+)/(.+)");

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} through a temporary file moved into place, so a reader never sees half of it. */
    private static void writeOnce(Path target, Writer writer) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "jwq-boot", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            writer.write(out);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Code put into java.base (the hooks, observe mode) calls classes of the bootstrap loader's
     * unnamed module, where the boot jar's classes live: java.base must read that module.
     */
    static void letJavaBaseReadIt(Instrumentation inst) {
        Module boot = dev.jwq.agent.boot.AgentReport.class.getModule();
        Module javaBase = Object.class.getModule();
        if (!javaBase.canRead(boot)) {
            inst.redefineModule(javaBase, Set.of(boot), java.util.Map.of(), java.util.Map.of(), Set.of(), java.util.Map.of());
        }
    }

    /** ${java.io.tmpdir}/jwq-agent-USER, created rwx------ and refused if another user owns it. */
    private static Path privateDir() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "jwq-agent-" + System.getProperty("user.name"));
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            try {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another JVM made it: checked below like any existing one
            }
        }
        if (posix) {
            String owner = Files.getOwner(dir).getName();
            if (!owner.equals(System.getProperty("user.name")) || !Files.getPosixFilePermissions(dir).equals(
                    Set.copyOf(PosixFilePermissions.fromString("rwx------")))) {
                throw new IOException(dir + " is not private to this user; refusing to load classes from it");
            }
        }
        return dir;
    }
}
