package io.dln.simulator.api;

/** OpenAI's error shape: {"error": {"message", "type", "param", "code"}}. */
public record ErrorBody(Detail error) {

    public record Detail(String message, String type, String param, String code) {
    }
}
