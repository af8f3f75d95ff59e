package io.dln.gateway.common;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statuses of Vert.x's default answer to what the decoder rejects, with codes and messages of the gateway's. */
class UnreadableRequestsTest {

    @Test
    void anOverlongLineOrHeadKeepsItsStatusAndCode() {
        ApiException line = UnreadableRequests.errorFor(DecoderResult.failure(new TooLongFrameException("An HTTP line is larger than 65536 bytes.")));
        assertEquals(414, line.status());
        assertEquals("uri_too_long", line.code());
        ApiException head = UnreadableRequests.errorFor(DecoderResult.failure(new TooLongFrameException("HTTP header is larger than 65536 bytes.")));
        assertEquals(431, head.status());
        assertEquals("headers_too_large", head.code());
    }

    @Test
    void anythingElseIsA400NamingTheDecodersReasonOnOneShortLine() {
        ApiException e = UnreadableRequests.errorFor(DecoderResult.failure(new IllegalArgumentException("Content-Length value must be >=0: -1\r\n" + "x".repeat(1000))));
        assertEquals(400, e.status());
        assertEquals("malformed_http_request", e.code());
        assertTrue(e.getMessage().contains("Content-Length value must be >=0: -1 x"), e.getMessage());
        assertTrue(e.getMessage().length() < 500, e.getMessage());
        assertEquals("malformed_http_request", UnreadableRequests.errorFor(null).code());
    }
}
