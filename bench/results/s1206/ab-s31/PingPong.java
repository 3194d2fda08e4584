import java.io.*;
import java.net.*;
import java.util.concurrent.*;

public class PingPong {
    public static void main(String[] a) throws Exception {
        String kind = a[0]; int n = Integer.parseInt(a[1]); int rounds = Integer.parseInt(a[2]); int pairs = a.length > 3 ? Integer.parseInt(a[3]) : 1;
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
            try { while (true) { Socket s = server.accept(); s.setTcpNoDelay(true);
                Thread.ofPlatform().daemon().start(() -> { try (s) { InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream();
                    int b; while ((b = in.read()) >= 0) { out.write(b); } } catch (IOException e) {} }); } } catch (IOException e) {}
        });
        ExecutorService ex = kind.equals("jwq") ? dev.jwq.Workqueues.newFixedThreadPool(pairs) : Executors.newFixedThreadPool(pairs);
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            CountDownLatch done = new CountDownLatch(pairs);
            for (int p = 0; p < pairs; p++) ex.execute(() -> {
                try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) { s.setTcpNoDelay(true);
                    InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream();
                    for (int i = 0; i < n; i++) { out.write(i & 0x7f); if (in.read() < 0) throw new EOFException(); }
                } catch (IOException e) { e.printStackTrace(); } finally { done.countDown(); }
            });
            done.await();
            long ns = System.nanoTime() - t0;
            System.out.println("round " + r + " us-per-roundtrip " + (ns / 1000.0 / n));
        }
        ex.shutdown();
        System.exit(0);
    }
}
