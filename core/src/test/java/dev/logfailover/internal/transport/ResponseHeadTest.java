package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An HTTP response head as RFC 9112 frames it and F18 bounds it, line by line, with no I/O. */
class ResponseHeadTest {
  private static ResponseHead head(String statusLine, String... fields) throws ProtocolException {
    ResponseHead head = ResponseHead.of("collector:80", statusLine);
    for (String field : fields) {
      head.add(field);
    }
    return head;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1 2000 OK", "HTTP/1.1 20x OK", "HTTP/1.1 +20 OK", "HTTP/1.1 200OK", "HTTP/2 200 OK",
      "HTTP/1.x 200 OK", "SSH-2.0-OpenSSH_9.2"})
  void aStatusLineWithoutExactlyThreeDigitsIsNoHttp(String statusLine) {
    assertThatThrownBy(() -> ResponseHead.of("collector:80", statusLine)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("no HTTP/1.x status line");
  }

  @Test
  void aStatusCodeBelow100IsNoHttpStatus() {
    assertThatThrownBy(() -> ResponseHead.of("collector:80", "HTTP/1.1 099 Odd")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("no HTTP status code");
  }

  @Test
  void aStatusLineMayOmitItsReason() throws ProtocolException {
    assertThat(head("HTTP/1.1 204").status()).isEqualTo(204);
  }

  @Test
  void aFieldGivenOnSeveralLinesIsOneList() throws ProtocolException {
    ResponseHead head = head("HTTP/1.1 200 OK", "Transfer-Encoding: gzip", "Connection: keep-alive",
        "transfer-encoding: chunked", "Connection: close");
    assertThat(head.isChunked()).isTrue();
    assertThat(head.keepsConnectionOpen()).isFalse();
    assertThat(head.field("transfer-encoding")).isEqualTo("gzip, chunked");
  }

  @Test
  void aFoldedLineContinuesItsFieldEvenWhenItHoldsAColon() throws ProtocolException {
    ResponseHead head = head("HTTP/1.1 503 Busy", "Retry-After:", " 120", "X-Note: a", "\tb: c");
    assertThat(head.field("retry-after")).isEqualTo("120");
    assertThat(head.field("x-note")).isEqualTo("a b: c");
    assertThat(head.field("b")).isNull();
  }

  @Test
  void aContentLengthListOfEqualValuesIsThatLengthAndOfDifferentOnesIsRefused() throws ProtocolException {
    assertThat(head("HTTP/1.1 200 OK", "Content-Length: 2, 2").contentLength()).isEqualTo(2);
    assertThat(head("HTTP/1.1 200 OK", "Content-Length: 2", "Content-Length: 2").contentLength()).isEqualTo(2);
    for (String value : new String[] {"2, 3", "-1", "+2", "", "1e3", "99999999999999999999"}) {
      ResponseHead head = head("HTTP/1.1 200 OK", "Content-Length: " + value);
      assertThatThrownBy(head::contentLength).as(value).isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void theHeadIsBoundedAsAWholeAndInItsNumberOfFields() throws ProtocolException {
    ResponseHead many = head("HTTP/1.1 200 OK");
    for (int i = 0; i < ResponseHead.MAX_FIELDS; i++) {
      many.add("X-" + i + ": v");
    }
    assertThatThrownBy(() -> many.add("X-one-more: v")).hasMessageContaining("more than " + ResponseHead.MAX_FIELDS);
    ResponseHead large = head("HTTP/1.1 200 OK");
    String value = "v".repeat(1000);
    assertThatThrownBy(() -> {
      for (int i = 0; i < ResponseHead.MAX_BYTES / 1000 + 1; i++) {
        large.add("X: " + value);
      }
    }).hasMessageContaining("longer than " + ResponseHead.MAX_BYTES);
  }

  @Test
  void http10KeepsTheConnectionOnlyWhenAskedTo() throws ProtocolException {
    assertThat(head("HTTP/1.0 200 OK").keepsConnectionOpen()).isFalse();
    assertThat(head("HTTP/1.0 200 OK", "Connection: Keep-Alive").keepsConnectionOpen()).isTrue();
    assertThat(head("HTTP/1.1 200 OK", "Connection: closed-captions").keepsConnectionOpen()).isTrue();
  }
}
