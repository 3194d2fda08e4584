package org.example.app;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

/**
 * OkHttp's asynchronous calls (its Dispatcher's pool) against MockWebServer (its TaskRunner's
 * pool) on loopback. Prints the bodies received, the classes of the threads the callbacks ran on
 * (OkHttp renames the thread while a call runs, so names say nothing), and the classes of the
 * threads named after either library while the client and server run.
 */
public final class OkHttpApp {
    public static void main(String[] args) throws Exception {
        int n = 20;
        if (args.length > 0 && args[0].equals("needs-handler")) {
            dev.jwq.Workqueues.system(); // the runtime installs its handler with its first pools
            boolean handler = ParkOnLatch.handlerInstalled();
            System.out.println("handler " + handler);
            if (!handler) {
                return;
            }
        }
        MockWebServer server = new MockWebServer();
        for (int i = 0; i < n; i++) {
            server.enqueue(new MockResponse().setBody("body-" + i));
        }
        server.start(InetAddress.getLoopbackAddress(), 0);
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS).build();
        Set<String> bodies = ConcurrentHashMap.newKeySet();
        Set<String> threadClasses = ConcurrentHashMap.newKeySet();
        List<String> failures = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            client.newCall(new Request.Builder().url(server.url("/r" + i)).build()).enqueue(new Callback() {
                @Override
                public void onResponse(Call call, Response response) throws IOException {
                    try (response) {
                        bodies.add(response.body().string());
                        threadClasses.add(Thread.currentThread().getClass().getName());
                    } finally {
                        done.countDown();
                    }
                }

                @Override
                public void onFailure(Call call, IOException e) {
                    synchronized (failures) {
                        failures.add(e.toString());
                    }
                    done.countDown();
                }
            });
        }
        boolean finished = done.await(60, TimeUnit.SECONDS);
        Set<String> alive = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("OkHttp") || t.getName().contains("MockWebServer")) {
                alive.add(t.getClass().getName()); // by class: the libraries rename the threads they run on
            }
        }
        System.out.println("finished " + finished + " failures " + failures);
        System.out.println("bodies " + bodies.size() + " " + bodies.containsAll(List.of("body-0", "body-" + (n - 1))));
        System.out.println("requests " + server.getRequestCount());
        System.out.println("callback-threads " + new TreeSet<>(threadClasses));
        System.out.println("dispatcher " + client.dispatcher().executorService().getClass().getName());
        System.out.println("pool-thread-classes " + alive);
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        server.shutdown();
    }
}
