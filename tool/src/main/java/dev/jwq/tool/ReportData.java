package dev.jwq.tool;

import java.util.List;

/**
 * The report's data as JSON: time series over the recording, in seconds from its first jwq event,
 * bucketed so that a chart has at most {@link #MAX_BUCKETS} points.
 *
 * <ul>
 * <li>Items per second: from {@code WorkqueueStatistics} (the change in {@code started} between
 *     two samples over the time between them) when the recording has them, otherwise recorded
 *     {@code WorkExecution} events per bucket ({@code "source": "items"}, a lower bound when a
 *     threshold filtered items).</li>
 * <li>Queue latency p50, p99 and max of the items recorded in each bucket (nearest rank).</li>
 * <li>Per pool: workers, idle, running and pending from {@code PoolStatistics}.</li>
 * <li>Stalls: {@code PoolStall} events.</li>
 * </ul>
 */
final class ReportData {
    static final int MAX_BUCKETS = 200;

    private ReportData() {
    }

    static String json(RecordingData d) {
        long origin = d.firstNanos;
        double span = Math.max(1e-9, (d.lastNanos - origin) / 1e9);
        double bucket = bucketSeconds(span);
        Json j = new Json().beginObject();
        j.field("recording", d.file.getFileName().toString());
        j.name("spanSeconds").value(span);
        j.name("bucketSeconds").value(bucket);
        j.name("workqueues").beginArray();
        for (RecordingData.Workqueue w : d.workqueues.values()) {
            j.beginObject().field("name", w.name);
            rate(j, w, origin, bucket, span);
            latency(j, w, origin, bucket, span);
            j.endObject();
        }
        j.endArray();
        j.name("pools").beginArray();
        for (RecordingData.Pool p : d.pools.values()) {
            j.beginObject().field("id", p.id).field("name", p.label());
            List<RecordingData.PoolStat> s = p.stats;
            j.name("t").beginArray();
            s.forEach(x -> j.value(seconds(x.time(), origin)));
            j.endArray();
            series(j, "workers", s.stream().mapToLong(RecordingData.PoolStat::workers).toArray());
            series(j, "running", s.stream().mapToLong(RecordingData.PoolStat::running).toArray());
            series(j, "idle", s.stream().mapToLong(RecordingData.PoolStat::idle).toArray());
            series(j, "pending", s.stream().mapToLong(RecordingData.PoolStat::pending).toArray());
            j.field("created", p.created).field("retired", p.retired).field("creationFailures", p.creationFailures);
            j.endObject();
        }
        j.endArray();
        j.name("stalls").beginArray();
        for (RecordingData.Stall s : d.stalls) {
            RecordingData.Pool p = d.pools.get(s.pool());
            j.beginObject().name("t").value(seconds(s.time(), origin)).field("pool", s.pool())
                    .field("poolName", p == null ? "pool " + s.pool() : p.label())
                    .field("stalledForNanos", s.stalledFor()).field("pending", s.pending()).field("dump", s.dump())
                    .endObject();
        }
        j.endArray();
        j.name("stat").raw(StatCommand.json(d, List.copyOf(d.workqueues.values())).trim());
        return j.endObject().toString();
    }

    /**
     * A round bucket width (1, 2 or 5 times a power of ten seconds) giving at most MAX_BUCKETS
     * buckets, and no finer than a second unless the recording is shorter than
     * {@link #MIN_BUCKETS} seconds: then MIN_BUCKETS or more buckets, so that a short recording
     * still has a curve rather than one point.
     */
    static double bucketSeconds(double span) {
        return Math.max(round(span / MAX_BUCKETS), Math.min(1, round(span / MIN_BUCKETS)));
    }

    /** Buckets a short recording is cut into at least. */
    static final int MIN_BUCKETS = 20;

    /** The smallest 1, 2 or 5 times a power of ten that is at least {@code raw}. */
    private static double round(double raw) {
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * pow >= raw * (1 - 1e-12)) {
                return m * pow;
            }
        }
        return 10 * pow;
    }

    private static void rate(Json j, RecordingData.Workqueue w, long origin, double bucket, double span) {
        j.name("rate").beginObject();
        List<RecordingData.WqStat> passes = w.passes();
        if (passes.size() >= 2) {
            j.field("source", "statistics");
            j.name("t").beginArray();
            for (int i = 1; i < passes.size(); i++) {
                j.value(seconds(passes.get(i).time(), origin));
            }
            j.endArray();
            j.name("v").beginArray();
            for (int i = 1; i < passes.size(); i++) {
                RecordingData.WqStat a = passes.get(i - 1);
                RecordingData.WqStat b = passes.get(i);
                double dt = (b.time() - a.time()) / 1e9;
                j.value(dt <= 0 ? 0 : (b.started() - a.started()) / dt);
            }
            j.endArray();
        } else if (w.itemTimes.size() > 0) {
            j.field("source", "items");
            int n = buckets(w, origin, bucket);
            long[] counts = new long[n];
            for (int i = 0; i < w.itemTimes.size(); i++) {
                counts[index(w.itemTimes.get(i), origin, bucket, n)]++;
            }
            bucketTimes(j, n, bucket, span);
            j.name("v").beginArray();
            for (long c : counts) {
                j.value(c / bucket);
            }
            j.endArray();
        } else {
            // neither statistics nor items (only rescues, say): no rate to draw, not a flat zero
            j.field("source", "none");
            j.name("t").beginArray().endArray();
            j.name("v").beginArray().endArray();
        }
        j.endObject();
    }

    private static void latency(Json j, RecordingData.Workqueue w, long origin, double bucket, double span) {
        int n = buckets(w, origin, bucket);
        Samples[] per = new Samples[n];
        for (int i = 0; i < w.itemTimes.size(); i++) {
            int k = index(w.itemTimes.get(i), origin, bucket, n);
            (per[k] == null ? per[k] = new Samples() : per[k]).add(w.latencies.get(i));
        }
        j.name("latency").beginObject();
        // only buckets that have items: an empty bucket has no latency, not a latency of 0
        j.name("t").beginArray();
        for (int k = 0; k < n; k++) {
            if (per[k] != null) {
                j.value(center(k, bucket, span));
            }
        }
        j.endArray();
        for (String[] p : new String[][] {{"p50", "50"}, {"p99", "99"}, {"max", "100"}}) {
            j.name(p[0]).beginArray();
            for (Samples s : per) {
                if (s != null) {
                    j.value(s.percentile(Double.parseDouble(p[1])));
                }
            }
            j.endArray();
        }
        j.endObject();
    }

    private static int buckets(RecordingData.Workqueue w, long origin, double bucket) {
        long last = origin;
        for (int i = 0; i < w.itemTimes.size(); i++) {
            last = Math.max(last, w.itemTimes.get(i));
        }
        return (int) Math.floor(seconds(last, origin) / bucket) + 1;
    }

    private static int index(long t, long origin, double bucket, int n) {
        return Math.min(n - 1, Math.max(0, (int) Math.floor(seconds(t, origin) / bucket)));
    }

    /** The time a bucket's value is drawn at: its middle, or the recording's end for a last bucket cut short. */
    private static double center(int k, double bucket, double span) {
        return Math.min((k + 0.5) * bucket, span);
    }

    private static void bucketTimes(Json j, int n, double bucket, double span) {
        j.name("t").beginArray();
        for (int k = 0; k < n; k++) {
            j.value(center(k, bucket, span));
        }
        j.endArray();
    }

    private static void series(Json j, String name, long[] values) {
        j.name(name).beginArray();
        for (long v : values) {
            j.value(v);
        }
        j.endArray();
    }

    private static double seconds(long t, long origin) {
        return (t - origin) / 1e9;
    }
}
