package org.example.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * HikariCP over an in-memory H2 database: its housekeeper (a ScheduledThreadPoolExecutor) and
 * its connection adder and closer (ThreadPoolExecutors with bounded queues and their own
 * rejection policies), driven by 8 application threads doing 400 inserts and a sum.
 */
public final class HikariApp {
    public static void main(String[] args) throws Exception {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:h2:mem:agent;DB_CLOSE_DELAY=-1");
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(2);
        cfg.setPoolName("app-db");
        long sum;
        int total;
        Set<String> alive = new TreeSet<>();
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table t (id int primary key, v int)");
            }
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int id = i;
                fs.add(clients.submit(() -> {
                    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
                        p.setInt(1, id);
                        p.setInt(2, id * 2);
                        p.executeUpdate();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*), sum(v) from t")) {
                rs.next();
                total = rs.getInt(1);
                sum = rs.getLong(2);
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                // a jwq worker carries a rewritten executor's name while it runs its task: app-db housekeeper@jwq/u4:1
                if ((t.getName().startsWith("app-db") || t.getName().startsWith("pool-")) && !t.getName().contains("@jwq/")) {
                    alive.add(t.getName().replaceAll("\\d+", "N"));
                }
            }
            System.out.println("connections " + ds.getHikariPoolMXBean().getTotalConnections());
        }
        System.out.println("rows " + total + " sum " + sum);
        System.out.println("pool-threads " + alive);
    }
}
