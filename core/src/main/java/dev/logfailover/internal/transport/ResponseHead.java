package dev.logfailover.internal.transport;

import java.net.ProtocolException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.x response's status line and header fields (RFC 9112), read line by line from a server
 * that is trusted with nothing (F18): the head as a whole and its number of fields are bounded, a
 * status code is exactly three digits, a field given on several lines is one list (RFC 9110
 * 5.3), a line folded onto the next (obs-fold) is joined with a space as RFC 9112 5.2 asks of a
 * client, and a {@code Content-Length} list is accepted only when all its values agree. Pure: no
 * I/O.
 *
 * <p>Not thread-safe: one response's, on the sender thread.
 */
final class ResponseHead {
  /** What a server may send before the body (status line and header fields), at most. */
  static final int MAX_BYTES = 64 * 1024;
  /** How many header fields a response may have; real servers send a dozen or two. */
  static final int MAX_FIELDS = 256;

  private final String server;
  private final int status;
  private final boolean http11;
  /** Names in lower case; a name given again adds to the list. */
  private final Map<String, String> fields = new HashMap<>();
  private String lastName;
  private int fieldLines;
  private int bytesLeft;

  private ResponseHead(String server, int status, boolean http11, int bytesLeft) {
    this.server = server;
    this.status = status;
    this.http11 = http11;
    this.bytesLeft = bytesLeft;
  }

  /** A new head from its status line ({@code HTTP/1.1 200 OK}, the reason optional). */
  static ResponseHead of(String server, String statusLine) throws ProtocolException {
    boolean shaped = statusLine.length() >= 12 && statusLine.startsWith("HTTP/1.") && statusLine.charAt(8) == ' '
        && Character.isDigit(statusLine.charAt(7)) && (statusLine.length() == 12 || statusLine.charAt(12) == ' ');
    if (!shaped || !isDigits(statusLine, 9, 12)) {
      throw new ProtocolException(server + " answered with no HTTP/1.x status line: " + quote(statusLine));
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    if (status < 100) {
      throw new ProtocolException(server + " answered with no HTTP status code: " + quote(statusLine));
    }
    return new ResponseHead(server, status, statusLine.charAt(7) != '0', MAX_BYTES - statusLine.length() - 2);
  }

  /** How many more bytes the head may take, line ends included: the longest next line. */
  int bytesLeft() {
    return bytesLeft;
  }

  /** Adds one header field line (not the empty line that ends the head). */
  void add(String line) throws ProtocolException {
    bytesLeft -= line.length() + 2;
    if (bytesLeft < 0) {
      throw new ProtocolException(server + " sent a response head longer than " + MAX_BYTES + " bytes");
    }
    char first = line.charAt(0);
    if (first == ' ' || first == '\t') {
      if (lastName == null) {
        throw new ProtocolException(server + " sent a folded line with no field before it: " + quote(line));
      }
      fields.merge(lastName, line.trim(), (before, more) -> before.isEmpty() ? more : before + " " + more);
      return;
    }
    if (++fieldLines > MAX_FIELDS) {
      throw new ProtocolException(server + " sent more than " + MAX_FIELDS + " header fields");
    }
    int colon = line.indexOf(':');
    if (colon <= 0 || line.substring(0, colon).isBlank()) {
      throw new ProtocolException(server + " sent a malformed header field: " + quote(line));
    }
    lastName = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    fields.merge(lastName, line.substring(colon + 1).trim(), (before, more) -> before + ", " + more);
  }

  int status() {
    return status;
  }

  /** The field's value (its lines joined as one list), the name given in lower case; null when absent. */
  String field(String name) {
    return fields.get(name);
  }

  Map<String, String> fields() {
    return Map.copyOf(fields);
  }

  /** Whether the connection may carry another request after this response's body. */
  boolean keepsConnectionOpen() {
    String connection = fields.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    return http11 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
  }

  /** Whether the body is sent in chunks: chunked is the last transfer coding (RFC 9112 6.3). */
  boolean isChunked() {
    String codings = fields.get("transfer-encoding");
    return codings != null && codings.toLowerCase(Locale.ROOT).strip().endsWith("chunked");
  }

  /** Whether the body is delimited by the end of the connection. */
  boolean isCloseDelimited() {
    return !isChunked() && (fields.containsKey("transfer-encoding") || !fields.containsKey("content-length"));
  }

  /** The body's length from {@code Content-Length}, a list of equal values taken as one. */
  long contentLength() throws ProtocolException {
    String value = fields.get("content-length");
    long length = -1;
    for (String each : value.split(",", -1)) {
      String digits = each.strip();
      if (digits.isEmpty() || digits.length() > 18 || !isDigits(digits, 0, digits.length())
          || (length >= 0 && length != Long.parseLong(digits))) {
        throw new ProtocolException(server + " sent an invalid Content-Length: " + quote(value));
      }
      length = Long.parseLong(digits);
    }
    return length;
  }

  private static boolean hasToken(String list, String token) {
    for (String each : list.split(",")) {
      if (each.strip().equals(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDigits(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static String quote(String text) {
    return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
  }
}
