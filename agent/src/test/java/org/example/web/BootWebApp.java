package org.example.web;

import java.lang.management.ManagementFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application (embedded Tomcat, one controller) for the agent's start-up cost
 * ({@code CostBench}): prints how long after the JVM started it was ready, the classes loaded and
 * the live threads then, answers one request, and stops.
 */
@SpringBootApplication
@RestController
public class BootWebApp {
    @GetMapping("/hi")
    String hi() {
        return "hi";
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext ctx = SpringApplication.run(BootWebApp.class, "--server.port=0",
                "--spring.main.banner-mode=off", "--spring.main.log-startup-info=false");
        long ready = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("ready-ms " + ready);
        System.out.println("classes " + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        System.out.println("threads " + Thread.activeCount());
        int port = ((org.springframework.boot.web.context.WebServerApplicationContext) ctx).getWebServer().getPort();
        try (java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient()) {
            String body = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/hi")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            System.out.println("answered " + (body.equals("hi") ? 1 : 0));
        }
        ctx.close();
    }
}
