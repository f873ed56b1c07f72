package dev.logfailover.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The server side of the HTTP transport for {@link FakeServer}: reads each {@code POST}, records
 * every line of its body as one event, and answers {@code 200} once the whole body is read, so a
 * batch counts as acknowledged only when the server has it (F16). Written for tests only.
 */
final class HttpConversation {
  private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private HttpConversation() {}

  /** Serves one connection until the client ends it. */
  static void serve(InputStream in, OutputStream out, Consumer<String> onRecord) throws IOException {
    String head;
    while ((head = readHead(in)) != null) {
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      if (body.length < length) {
        return; // The client went away with the body half sent: nothing of it is acknowledged.
      }
      for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          onRecord.accept(line);
        }
      }
      out.write(OK);
      out.flush();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    int matched = 0;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
      if (head.size() > MAX_HEAD_BYTES) {
        throw new ProtocolException("a request head longer than " + MAX_HEAD_BYTES + " bytes");
      }
    }
    return null;
  }
}
