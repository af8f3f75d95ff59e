package io.dln.simulator.api;

import java.util.Map;

/** An HTTP answer ready to write: status, extra headers and a JSON body (possibly cut short on purpose). */
public record Reply(int status, Map<String, String> headers, String body) {

    public static Reply ok(String json) {
        return new Reply(200, Map.of(), json);
    }
}
