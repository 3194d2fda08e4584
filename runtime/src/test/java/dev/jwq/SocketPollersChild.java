package dev.jwq;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child of {@link SocketPollersTest}: an item reads a byte from a socket that has none yet, so
 * that its worker blocks on the socket (on the JDK's pollers when the worker is a virtual
 * thread); then prints the poller mode property and the names of the platform threads.
 */
public final class SocketPollersChild {
    private SocketPollersChild() {}

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Workqueue wq = Workqueue.builder("pollers").build()) {
            AtomicReference<Thread> reader = new AtomicReference<>();
            CompletableFuture<Integer> read = new CompletableFuture<>();
            wq.execute(() -> {
                reader.set(Thread.currentThread());
                try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                        InputStream in = s.getInputStream()) {
                    read.complete(in.read());
                } catch (Throwable t) {
                    read.completeExceptionally(t);
                }
            });
            try (Socket accepted = server.accept(); OutputStream out = accepted.getOutputStream()) {
                // Write only once a virtual reader waits for the byte, so that it blocked on the
                // socket (a platform thread blocked in a read stays RUNNABLE: no wait for it).
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
                System.out.println("read " + read.get(20, TimeUnit.SECONDS));
            }
            System.out.println("virtual " + reader.get().isVirtual());
            System.out.println("pollerMode " + System.getProperty(SocketPollers.PROPERTY));
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                System.out.println("thread " + t.getName());
            }
        }
    }
}
