package io.dln.gateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a server-sent event stream into events as they arrive; {@link #next} waits for the next one. */
public final class SseClient implements AutoCloseable {

    public record Event(String name, String data, String id) {
        public Event(String name, String data) {
            this(name, data, null);
        }
    }

    private static final Event END = new Event("<end>", null);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;
    private final java.util.concurrent.atomic.AtomicInteger comments = new java.util.concurrent.atomic.AtomicInteger();

    public SseClient(String path, String key) throws Exception {
        this(path, key, null);
    }

    /** A stream that resumes after the event {@code lastEventId} (sent as Last-Event-ID, as browsers do). */
    public SseClient(String path, String key, String lastEventId) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(Api.baseUri() + path))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream");
        if (lastEventId != null) builder.header("Last-Event-ID", lastEventId);
        HttpRequest request = builder.GET().build();
        response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        reader = Thread.ofVirtual().start(this::read);
    }

    /** Comment lines received so far (keep-alives). */
    public int comments() {
        return comments.get();
    }

    public int status() {
        return response.statusCode();
    }

    private void read() {
        String name = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (name != null || !data.isEmpty()) events.add(new Event(name == null ? "message" : name, data.toString(), id));
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(5).strip());
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed
        }
        events.add(END);
    }

    /** The next event, or null when the stream ended or nothing came within {@code timeout}. */
    public Event next(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == END) {
            events.add(END);
            return null;
        }
        return e;
    }

    /** Whether the server closed the stream within {@code timeout}, after whatever events are left. */
    public List<Event> untilEnd(Duration timeout) throws InterruptedException {
        List<Event> rest = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Event e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e == END) {
                events.add(END);
                return rest;
            }
            if (e != null) rest.add(e);
        }
        throw new AssertionError("the stream did not end within " + timeout + "; got " + rest);
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
