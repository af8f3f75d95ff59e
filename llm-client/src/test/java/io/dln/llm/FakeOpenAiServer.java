package io.dln.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted stand-in for an OpenAI-compatible server on a random local port. Each path answers either
 * from a queue of replies (the last one repeats) or from a handler computing the reply from the request.
 */
final class FakeOpenAiServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    record Request(String method, String path, Map<String, String> headers, JsonNode body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Reply(int status, String body, Map<String, String> headers, Duration delay) {
        Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, h, delay);
        }

        Reply after(Duration wait) {
            return new Reply(status, body, headers, wait);
        }
    }

    interface Handler {
        Reply handle(Request request);
    }

    private final HttpServer server;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    FakeOpenAiServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void on(String path, Handler handler) {
        handlers.put(path, handler);
    }

    /** Answers the given replies in turn, repeating the last one. */
    void script(String path, Reply... replies) {
        Deque<Reply> queue = new ArrayDeque<>(List.of(replies));
        on(path, request -> {
            synchronized (queue) {
                return queue.size() > 1 ? queue.poll() : queue.peek();
            }
        });
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readAllBytes();
                body = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
            }
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
            requests.add(request);
            Handler handler = handlers.get(request.path());
            Reply reply = handler == null ? json(404, error("no route " + request.path())) : handler.handle(request);
            if (reply.delay() != null) Thread.sleep(reply.delay());
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The prompts of a completions request: a list, or a single string sent on its own. */
    static List<String> prompts(Request request) {
        JsonNode prompt = request.body().get("prompt");
        List<String> prompts = new ArrayList<>();
        if (prompt.isArray()) prompt.forEach(p -> prompts.add(p.asText()));
        else prompts.add(prompt.asText());
        return prompts;
    }

    // ---- reply builders ----

    static Reply json(int status, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return new Reply(status, text, Map.of(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reply ok(Object body) {
        return json(200, body);
    }

    static Map<String, Object> error(String message) {
        return Map.of("error", Map.of("message", message, "type", "BadRequestError", "code", 400));
    }

    static Map<String, Object> completions(List<Map<String, Object>> choices, long promptTokens, long completionTokens) {
        return Map.of("id", "cmpl-1", "object", "text_completion", "model", "m", "choices", choices,
                "usage", Map.of("prompt_tokens", promptTokens, "completion_tokens", completionTokens,
                        "total_tokens", promptTokens + completionTokens));
    }

    static Map<String, Object> textChoice(int index, String text) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("index", index);
        c.put("text", text);
        c.put("logprobs", null);
        c.put("finish_reason", "stop");
        return c;
    }

    static Map<String, Object> echoChoice(int index, List<String> tokens, List<Double> logprobs, List<Integer> offsets) {
        Map<String, Object> lp = new LinkedHashMap<>();
        lp.put("tokens", tokens);
        lp.put("token_logprobs", logprobs);
        List<Map<String, Double>> tops = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            tops.add(logprobs.get(i) == null ? null : Map.of(tokens.get(i), logprobs.get(i)));
        }
        lp.put("top_logprobs", tops);
        lp.put("text_offset", offsets);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("index", index);
        c.put("text", String.join("", tokens));
        c.put("logprobs", lp);
        c.put("finish_reason", "length");
        return c;
    }

    static Map<String, Object> topChoice(int index, String chosen, Map<String, Double> top) {
        Map<String, Object> lp = new LinkedHashMap<>();
        lp.put("tokens", List.of(chosen));
        lp.put("token_logprobs", List.of(top.getOrDefault(chosen, -1.0)));
        lp.put("top_logprobs", List.of(top));
        lp.put("text_offset", List.of(0));
        return Map.of("index", index, "text", chosen, "logprobs", lp, "finish_reason", "length");
    }

    static Map<String, Object> chat(String content, long promptTokens, long completionTokens, Map<String, Double> firstTokenTop) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", Map.of("role", "assistant", "content", content));
        choice.put("finish_reason", "stop");
        if (firstTokenTop != null) {
            List<Map<String, Object>> alts = new ArrayList<>();
            firstTokenTop.forEach((t, lp) -> alts.add(Map.of("token", t, "logprob", lp)));
            choice.put("logprobs", Map.of("content", List.of(Map.of("token", content,
                    "logprob", firstTokenTop.getOrDefault(content, -1.0), "top_logprobs", alts))));
        }
        return Map.of("id", "chatcmpl-1", "object", "chat.completion", "created", 1, "model", "m",
                "choices", List.of(choice),
                "usage", Map.of("prompt_tokens", promptTokens, "completion_tokens", completionTokens,
                        "total_tokens", promptTokens + completionTokens));
    }
}
