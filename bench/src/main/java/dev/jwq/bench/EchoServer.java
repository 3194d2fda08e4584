package dev.jwq.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A loopback server that sends every byte back, one platform thread per connection, and the
 * client ends of {@code connections} connections to it, lent to one task at a time
 * ({@link #roundTrips}): {@link SocketBenchmark}'s other side, the same for every executor under
 * test.
 */
final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private final BlockingQueue<Socket> idle;

    private EchoServer(int connections) throws IOException {
        server = new ServerSocket(0, connections, InetAddress.getLoopbackAddress());
        idle = new ArrayBlockingQueue<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                client.setTcpNoDelay(true);
                clients.add(client);
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                accepted.add(s);
                Thread.ofPlatform().daemon().name("echo-" + i).start(() -> echo(s));
                idle.add(client);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A server with {@code connections} connections open to it. */
    static EchoServer start(int connections) throws IOException {
        return new EchoServer(connections);
    }

    /** Sends back what arrives until the client closes (or the server does). */
    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (int b; (b = in.read()) >= 0; ) {
                out.write(b);
            }
        } catch (IOException e) {
            // closed by close(): the trial is over
        }
    }

    /**
     * {@code n} one-byte round trips on a connection no other task is using (waiting for one if
     * all are in use): writes a byte, then blocks until it comes back.
     *
     * @throws UncheckedIOException if the connection fails or a byte comes back wrong
     */
    void roundTrips(int n) throws InterruptedException {
        Socket s = idle.take();
        try {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < n; i++) {
                int sent = i & 0x7f;
                out.write(sent);
                int got = in.read();
                if (got != sent) {
                    throw new IOException("sent " + sent + ", got " + got);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            idle.add(s);
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (List<Socket> list : List.of(clients, accepted)) {
            for (Socket s : list) {
                try {
                    s.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        server.close();
        if (first != null) {
            throw first;
        }
    }
}
