package io.dln.simulator.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URL;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a bounded number of identical POSTs to the simulator on loopback with a fixed number in
 * flight, from its own small Vert.x instance, and measures throughput.
 */
final class LoadDriver implements AutoCloseable {

    record Result(int requests, int failures, double seconds, long[] latenciesMicros, double cpuSeconds) {

        /** CPU time this JVM (simulator and load driver together) spent per request. */
        double cpuMicrosPerRequest() {
            return cpuSeconds * 1e6 / requests;
        }

        double perSecond() {
            return requests / seconds;
        }

        long percentileMicros(double p) {
            long[] sorted = latenciesMicros.clone();
            java.util.Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
        }
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final HttpClient client;
    private final URL url;
    private final String path;

    LoadDriver(URL url, int connections) {
        this(url, url.getPath(), connections);
    }

    LoadDriver(URL url, String path, int connections) {
        this.url = url;
        this.path = path;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** POSTs {@code body} {@code requests} times (GETs when it is null), {@code inFlight} at a time. */
    Result run(String body, int requests, int inFlight, long timeoutSeconds) throws InterruptedException {
        Buffer payload = body == null ? null : Buffer.buffer(body);
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        long[] latencies = new long[requests];
        CountDownLatch finished = new CountDownLatch(requests);
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        for (int w = 0; w < inFlight; w++) vertx.runOnContext(v -> next(payload, issued, requests, failures, done, latencies, finished));
        if (!finished.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("load run did not finish in " + timeoutSeconds + " s: " + done.get() + " done");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(requests, failures.get(), seconds, latencies, (cpuNanos() - cpuStart) / 1e9);
    }

    private void next(Buffer payload, AtomicInteger issued, int requests, AtomicInteger failures, AtomicLong done,
                      long[] latencies, CountDownLatch finished) {
        int i = issued.getAndIncrement();
        if (i >= requests) return;
        long sent = System.nanoTime();
        client.request(payload == null ? HttpMethod.GET : HttpMethod.POST, url.getPort(), url.getHost(), path)
                .compose(req -> payload == null ? req.send() : req.putHeader("Content-Type", "application/json").send(payload))
                .compose(resp -> resp.statusCode() == 200 ? resp.body() : resp.body().map(b -> null))
                .onComplete(ar -> {
                    if (ar.failed() || ar.result() == null) failures.incrementAndGet();
                    latencies[i] = (System.nanoTime() - sent) / 1000;
                    done.incrementAndGet();
                    finished.countDown();
                    next(payload, issued, requests, failures, done, latencies, finished);
                });
    }

    private static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** The machine's 1-minute load average, to read the figures against (other work shares the CPUs). */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
