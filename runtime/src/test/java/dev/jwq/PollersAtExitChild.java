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
 * Child of {@link PollersAtExitTest}: a virtual thread blocks on a socket read, which starts the
 * JDK's pollers, and gets its byte; then the child prints the time and ends. System property
 * {@value #HOW}: {@code item} (the reader is a workqueue item), {@code vthread} (a virtual thread
 * of the JDK's), {@code exit} (an item, and another item calls {@code System.exit(0)}).
 */
public final class PollersAtExitChild {
    static final String HOW = "pollersAtExit.how";

    private PollersAtExitChild() {}

    public static void main(String[] args) throws Exception {
        String how = System.getProperty(HOW);
        Workqueue wq = Workqueue.builder("at-exit").build();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicReference<Thread> reader = new AtomicReference<>();
            CompletableFuture<Integer> read = new CompletableFuture<>();
            Runnable readOne = () -> {
                reader.set(Thread.currentThread());
                try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                        InputStream in = s.getInputStream()) {
                    read.complete(in.read());
                } catch (Throwable t) {
                    read.completeExceptionally(t);
                }
            };
            if (how.equals("vthread")) {
                Thread.ofVirtual().start(readOne);
            } else {
                wq.execute(readOne);
            }
            try (Socket accepted = server.accept(); OutputStream out = accepted.getOutputStream()) {
                // Write once the virtual reader waits: it blocked on the socket, so the pollers run.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (reader.get() == null || reader.get().getState() != Thread.State.WAITING) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the reader never waited: " + reader.get());
                    }
                    Thread.onSpinWait();
                }
                out.write(42);
                out.flush();
                System.out.println("read " + read.get(20, TimeUnit.SECONDS) + " virtual " + reader.get().isVirtual());
            }
        }
        boolean pollerInNative = PollersAtExit.runnablePoller(PollersAtExit.READ_POLLER) != null;
        System.out.println("pollerMode " + System.getProperty(SocketPollers.PROPERTY) + " poller " + pollerInNative);
        if (how.equals("exit")) {
            wq.execute(() -> {
                System.out.println("end " + System.currentTimeMillis());
                System.out.flush();
                System.exit(0);
            });
            Thread.currentThread().join(); // until the item ends the process
        }
        System.out.println("end " + System.currentTimeMillis());
    }
}
