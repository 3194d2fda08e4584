package dev.jwq.samples;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of a {@link LoopbackService} with a connection pool: a call borrows the most
 * recently used idle connection (or opens one), exchanges 8 bytes each way, blocking on the
 * socket, and gives it back. Callers say how they block: the call itself does not.
 */
public final class LoopbackClient implements AutoCloseable {
    private final int port;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong opened = new AtomicLong(), closed = new AtomicLong();

    private record Connection(Socket socket, DataInputStream in, DataOutputStream out) {}

    public LoopbackClient(int port) {
        this.port = port;
    }

    /** Sends {@code request} and waits for the answer, on a pooled connection. */
    public long call(long request) {
        Connection c = idle.pollFirst();
        try {
            if (c == null) {
                c = open();
            }
            c.out.writeLong(request);
            c.out.flush();
            long answer = c.in.readLong();
            idle.offerFirst(c);
            return answer;
        } catch (IOException e) {
            if (c != null) {
                close(c);
            }
            throw new UncheckedIOException("call to the loopback service on port " + port + " failed", e);
        }
    }

    private Connection open() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setTcpNoDelay(true);
        opened.incrementAndGet();
        return new Connection(s, new DataInputStream(s.getInputStream()), new DataOutputStream(s.getOutputStream()));
    }

    /** Closes the least recently used idle connections beyond {@code keep}. */
    public void closeIdleBeyond(int keep) {
        while (idle.size() > keep) {
            Connection c = idle.pollLast();
            if (c == null) {
                return;
            }
            close(c);
        }
    }

    public long opened() {
        return opened.get();
    }

    public long closed() {
        return closed.get();
    }

    private void close(Connection c) {
        try {
            c.socket.close();
        } catch (IOException e) {
            // closing a loopback socket: nothing to recover
        }
        closed.incrementAndGet();
    }

    /** Closes every idle connection. */
    @Override
    public void close() {
        closeIdleBeyond(0);
    }
}
