package io.dln.simulator.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.dln.simulator.api.Dtos.LegacyLogprobs;
import io.dln.simulator.world.Alternative;
import io.dln.simulator.world.ScoredToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes {@link LegacyLogprobs} as the four parallel lists of the completions API straight from the scored tokens.
 * Echo with logprobs makes these lists most of a scoring response: building them as lists and maps of boxed numbers
 * and printing each log-probability twice (in token_logprobs and again in top_logprobs) took a quarter of the
 * simulator's CPU per prompt.
 */
final class LegacyLogprobsWriter extends StdSerializer<LegacyLogprobs> {

    LegacyLogprobsWriter() {
        super(LegacyLogprobs.class);
    }

    @Override
    public void serialize(LegacyLogprobs value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        int size = value.echoed().size() + value.generated().size();
        String[] printed = new String[size];
        int i = 0;
        for (ScoredToken t : value.echoed()) printed[i++] = print(t.logprob());
        for (ScoredToken t : value.generated()) printed[i++] = print(t.logprob());

        gen.writeStartObject();
        gen.writeArrayFieldStart("tokens");
        for (ScoredToken t : value.echoed()) gen.writeString(t.token());
        for (ScoredToken t : value.generated()) gen.writeString(t.token());
        gen.writeEndArray();

        gen.writeArrayFieldStart("token_logprobs");
        i = 0;
        for (ScoredToken t : value.echoed()) number(gen, t.logprob(), printed[i++]);
        for (ScoredToken t : value.generated()) number(gen, t.logprob(), printed[i++]);
        gen.writeEndArray();

        gen.writeArrayFieldStart("top_logprobs");
        i = 0;
        for (ScoredToken t : value.echoed()) top(gen, t, printed[i++]);
        for (ScoredToken t : value.generated()) top(gen, t, printed[i++]);
        gen.writeEndArray();

        gen.writeArrayFieldStart("text_offset");
        for (ScoredToken t : value.echoed()) gen.writeNumber(t.offset());
        for (ScoredToken t : value.generated()) gen.writeNumber(t.offset() + value.generatedOffset());
        gen.writeEndArray();
        gen.writeEndObject();
    }

    /** The token's entry of top_logprobs: null for the first prompt token, else its alternatives (a token's first wins). */
    private static void top(JsonGenerator gen, ScoredToken t, String printed) throws IOException {
        if (t.logprob() == null) {
            gen.writeNull();
            return;
        }
        gen.writeStartObject();
        if (t.top() == null) {
            gen.writeFieldName(t.token());
            number(gen, t.logprob(), printed);
        } else {
            List<Alternative> top = t.top();
            Set<String> written = top.size() > 1 ? new HashSet<>() : null;
            for (Alternative a : top) {
                if (written != null && !written.add(a.token())) continue;
                gen.writeFieldName(a.token());
                boolean same = Double.doubleToLongBits(a.logprob()) == Double.doubleToLongBits(t.logprob());
                if (same) number(gen, a.logprob(), printed);
                else gen.writeNumber(a.logprob());
            }
        }
        gen.writeEndObject();
    }

    /** Double.toString, as Jackson prints a finite double; null where Jackson must decide (null, NaN, infinities). */
    private static String print(Double logprob) {
        return logprob == null || !Double.isFinite(logprob) ? null : Double.toString(logprob);
    }

    private static void number(JsonGenerator gen, Double value, String printed) throws IOException {
        if (value == null) gen.writeNull();
        else if (printed == null) gen.writeNumber(value);
        else gen.writeNumber(printed);
    }
}
