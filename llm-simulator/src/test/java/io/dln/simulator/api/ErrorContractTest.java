package io.dln.simulator.api;

import static io.dln.simulator.api.Api.post;
import static io.dln.simulator.api.Api.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class ErrorContractTest {

    /** path | body | param expected in the error (empty for none) */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/completions      | {not json                                   | ",
            "/v1/completions      | [1,2]                                       | ",
            "/v1/completions      | {}                                          | prompt",
            "/v1/completions      | {'prompt':[]}                               | prompt",
            "/v1/completions      | {'prompt':[1,2,3]}                          | prompt",
            "/v1/completions      | {'prompt':'x','n':0}                        | n",
            "/v1/completions      | {'prompt':'x','n':'two'}                    | n",
            "/v1/completions      | {'prompt':'x','max_tokens':-1}              | max_tokens",
            "/v1/completions      | {'prompt':'x','temperature':2.5}            | temperature",
            "/v1/completions      | {'prompt':'x','temperature':-0.1}           | temperature",
            "/v1/completions      | {'prompt':'x','logprobs':21}                | logprobs",
            "/v1/completions      | {'prompt':'x','stop':5}                     | stop",
            "/v1/completions      | {'prompt':'x','echo':'yes'}                 | echo",
            "/v1/completions      | {'prompt':'x','stream':true,'logprobs':1}   | logprobs",
            "/v1/completions      | {'prompt':'x','stream_options':{}}          | stream_options",
            "/v1/completions      | {'prompt':'x','stream':'yes'}               | stream",
            "/v1/chat/completions | {'model':'m'}                               | messages",
            "/v1/chat/completions | {'messages':[]}                             | messages",
            "/v1/chat/completions | {'messages':[{'content':'hi'}]}             | messages",
            "/v1/chat/completions | {'messages':[{'role':'user','content':'hi'}],'top_logprobs':2} | top_logprobs",
            "/v1/chat/completions | {'messages':[{'role':'user','content':'hi'}],'logprobs':true,'top_logprobs':21} | top_logprobs",
            "/v1/chat/completions | {'messages':[{'role':'user','content':'hi'}],'n':0} | n",
            "/v1/chat/completions | {'messages':[{'role':'user','content':'hi'}],'max_tokens':-5} | max_tokens",
    })
    void malformedRequestsGet400InOpenAiShape(String path, String body, String param) {
        Response r = post(path, body.replace('\'', '"'));
        r.then().statusCode(400);
        JsonNode error = tree(r).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertFalse(error.get("message").asText().isBlank());
        assertTrue(error.has("code") && error.get("code").isNull());
        if (param == null) {
            assertTrue(error.get("param").isNull());
        } else {
            assertEquals(param, error.get("param").asText());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'prompt':'x','logprobs':20,'max_tokens':1}",
            "{'prompt':'x','max_tokens':0}",
            "{'prompt':'x','temperature':2}",
            "{'prompt':'x','n':128,'max_tokens':1}"})
    void limitsThemselvesAreAccepted(String body) {
        post("/v1/completions", body.replace('\'', '"')).then().statusCode(200);
    }
}
