package dev.jwq.samples.sprawl;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP client in the style of OkHttp: calls run on a cached dispatcher pool over pooled
 * loopback connections to the {@link Upstream}; a cleanup thread closes idle connections
 * beyond {@link #KEEP_IDLE}.
 */
final class HttpClient extends Library {
    static final int KEEP_IDLE = 4;

    private final ExecutorService dispatcher = own(ExecutorFactory.cached(ExecutorFactory.named("OkHttp Dispatcher")));
    private final ScheduledExecutorService cleaner = own(ExecutorFactory.singleScheduled(ExecutorFactory.named("OkHttp ConnectionPool")));
    private final int port;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong calls = new AtomicLong(), opened = new AtomicLong(), cleaned = new AtomicLong();

    private record Connection(Socket socket, DataInputStream in, DataOutputStream out) {}

    HttpClient(int upstreamPort) {
        super("http client");
        this.port = upstreamPort;
        every(cleaner, 100, this::cleanup);
    }

    /** Calls the upstream service for request {@code id}. */
    CompletableFuture<Long> call(long id) {
        return CompletableFuture.supplyAsync(() -> exchange(id), dispatcher);
    }

    private long exchange(long id) {
        Connection c = idle.pollFirst();
        try {
            if (c == null) {
                c = open();
            }
            Connection conn = c;
            long answer = ExecutorFactory.blocking(() -> {
                conn.out.writeLong(id);
                conn.out.flush();
                return conn.in.readLong();
            });
            idle.offerFirst(c);
            calls.incrementAndGet();
            return answer;
        } catch (RuntimeException e) {
            if (c != null) {
                close(c);
            }
            throw e;
        }
    }

    private Connection open() {
        try {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setTcpNoDelay(true);
            opened.incrementAndGet();
            return new Connection(s, new DataInputStream(s.getInputStream()), new DataOutputStream(s.getOutputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to the upstream on port " + port, e);
        }
    }

    /** Closes the least recently used idle connections beyond KEEP_IDLE. */
    private void cleanup() {
        while (idle.size() > KEEP_IDLE) {
            Connection c = idle.pollLast();
            if (c == null) {
                return;
            }
            close(c);
            cleaned.incrementAndGet();
        }
    }

    private static void close(Connection c) {
        try {
            c.socket.close();
        } catch (IOException e) {
            // closing a loopback socket: nothing to recover
        }
    }

    @Override
    public void close() throws InterruptedException {
        super.close();
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            close(c);
        }
    }

    @Override
    String summary() {
        return calls.get() + " calls over " + opened.get() + " connections, " + cleaned.get() + " closed by the cleaner";
    }
}
