package dev.jwq;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-byte loopback read that has to wait for its byte: how the test children make a thread
 * block on a socket (on the JDK's pollers, when the thread is virtual).
 */
final class BlockedSocketRead {
    /** The byte read, and the thread that read it. */
    record Result(int value, Thread reader) {}

    private BlockedSocketRead() {}

    /**
     * Hands the read to {@code start}, and writes the byte only once a virtual reader waits for
     * it, so that it blocked on the socket (a platform thread blocked in a read stays RUNNABLE:
     * no wait for it).
     */
    static Result run(Executor start) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicReference<Thread> reader = new AtomicReference<>();
            CompletableFuture<Integer> read = new CompletableFuture<>();
            start.execute(() -> {
                reader.set(Thread.currentThread());
                try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                        InputStream in = s.getInputStream()) {
                    read.complete(in.read());
                } catch (Throwable t) {
                    read.completeExceptionally(t);
                }
            });
            try (Socket accepted = server.accept(); OutputStream out = accepted.getOutputStream()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (reader.get() == null
                        || reader.get().isVirtual() && reader.get().getState() != Thread.State.WAITING) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the reader never waited: " + reader.get());
                    }
                    Thread.onSpinWait();
                }
                out.write(42);
                out.flush();
                return new Result(read.get(20, TimeUnit.SECONDS), reader.get());
            }
        }
    }
}
