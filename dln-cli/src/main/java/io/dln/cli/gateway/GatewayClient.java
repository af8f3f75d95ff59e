package io.dln.cli.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;

/** The gateway's HTTP API over java.net.http: JSON in and out, file uploads, and server-sent event streams. */
public final class GatewayClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final String url;
    private final String apiKey;
    private final HttpClient http;

    public GatewayClient(String url, String apiKey) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String url() {
        return url;
    }

    public <T> T get(String path, Class<T> type) {
        return read(send(request(path).GET()), Json.MAPPER.constructType(type));
    }

    public <T> T get(String path, TypeReference<T> type) {
        return read(send(request(path).GET()), Json.MAPPER.constructType(type));
    }

    /** The body as the gateway sent it, e.g. an exported document. */
    public String getText(String path) {
        return send(request(path).GET());
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return read(send(withJson(request(path), "POST", body)), Json.MAPPER.constructType(type));
    }

    public <T> T put(String path, Object body, TypeReference<T> type) {
        return read(send(withJson(request(path), "PUT", body)), Json.MAPPER.constructType(type));
    }

    /** POSTs a JSON text as it is. */
    public <T> T postText(String path, String json, Class<T> type) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return read(send(b), Json.MAPPER.constructType(type));
    }

    public void delete(String path) {
        send(request(path).DELETE());
    }

    /** Streams a file as the request body. */
    public <T> T upload(String path, Path file, String contentType, Class<T> type) {
        try {
            HttpRequest.Builder b = request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofFile(file));
            return read(send(b), Json.MAPPER.constructType(type));
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Follows a server-sent event stream, handing each event to {@code listener} until the stream ends or the listener
     * returns false. Comment lines (keep-alives) are skipped. With {@code lastEventId} the stream resumes after that
     * event (sent as Last-Event-ID).
     */
    public void events(String path, String lastEventId, Predicate<ServerSentEvent> listener) {
        HttpRequest.Builder builder = authorized(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream"));
        if (lastEventId != null) builder.header("Last-Event-ID", lastEventId);
        HttpRequest request = builder.GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new GatewayUnreachableException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() >= 400) {
                throw error(response.statusCode(), String.join("\n", lines.lines().toList()));
            }
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() || name != null) {
                        if (!listener.test(new ServerSentEvent(name == null ? "message" : name, data.toString(), id))) return;
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    continue;
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        } catch (IOException e) {
            throw new GatewayUnreachableException(url, e);
        }
    }

    /** {@code path?k=v&k=v}, leaving out null values; a list value repeats its key. */
    public static String query(String path, Map<String, ?> parameters) {
        StringJoiner q = new StringJoiner("&");
        parameters.forEach((k, v) -> {
            if (v == null) return;
            for (Object item : v instanceof List<?> list ? list : List.of(v)) {
                q.add(encode(k) + "=" + encode(String.valueOf(item)));
            }
        });
        return q.length() == 0 ? path : path + "?" + q;
    }

    public static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return map;
    }

    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json"));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return apiKey == null ? b : b.header("Authorization", "Bearer " + apiKey);
    }

    private URI uri(String path) {
        return URI.create(url + path);
    }

    private static HttpRequest.Builder withJson(HttpRequest.Builder b, String method, Object body) {
        if (body == null) return b.method(method, HttpRequest.BodyPublishers.noBody());
        try {
            return b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            if (e instanceof java.net.http.HttpConnectTimeoutException) throw new GatewayUnreachableException(url, e);
            throw new IllegalStateException("the gateway at " + url + " did not answer " + request.method() + " "
                    + request.uri().getPath() + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new GatewayUnreachableException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() >= 400) throw error(response.statusCode(), response.body());
        return response.body();
    }

    private static <T> T read(String body, JavaType type) {
        if (body == null || body.isBlank()) return null;
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the gateway answered something unexpected: " + e.getOriginalMessage(), e);
        }
    }

    static GatewayException error(int status, String body) {
        try {
            Api.ErrorBody error = Json.MAPPER.readValue(body, Api.ErrorBody.class);
            if (error != null && error.error() != null && error.error().message() != null) {
                return new GatewayException(status, error.error().code(), error.error().message(), error.error().fields());
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // not the gateway's error shape: show the text
        }
        String text = body == null || body.isBlank() ? "no message" : body.strip();
        return new GatewayException(status, null, text.length() > 300 ? text.substring(0, 300) + "..." : text, List.of());
    }

    /** One event of a stream: its name ("message" when unnamed), data and id (null when it has none). */
    public record ServerSentEvent(String name, String data, String id) {
    }
}
