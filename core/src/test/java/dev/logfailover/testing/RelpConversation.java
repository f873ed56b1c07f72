package dev.logfailover.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The server side of RELP (librelp's doc/relp.md) for {@link FakeServer}: answers {@code open}
 * with the offers {@code imrelp} makes, {@code syslog} as its {@link Script} says, and {@code
 * close} with 200 before closing. Written from the protocol description for tests only.
 */
public final class RelpConversation {
  private RelpConversation() {}

  /** How {@code syslog} commands are answered. */
  public enum Answer {
    /** Record the event and answer {@code rsp 200 OK}. */
    ACKNOWLEDGE,
    /** Record the event and never answer: the client's window fills and its acknowledgement timeout runs. */
    WITHHOLD,
    /** Answer {@code rsp 500}: the event is refused, nothing is recorded. */
    REFUSE,
    /** Send the {@code serverclose} hint and close, recording nothing. */
    SERVER_CLOSE
  }

  /** The answer in force, changed by tests while connections run. Thread-safe. */
  static final class Script {
    volatile Answer answer = Answer.ACKNOWLEDGE;
  }

  /**
   * Serves one connection until it ends. Returns true when the client ended it with {@code close}.
   */
  static boolean serve(InputStream rawIn, OutputStream rawOut, Script script, Consumer<String> onRecord)
      throws IOException {
    InputStream in = new java.io.BufferedInputStream(rawIn);
    OutputStream out = new java.io.BufferedOutputStream(rawOut);
    while (true) {
      if (in.available() == 0) {
        out.flush(); // answers go out once everything read so far is answered, as a server batches them
      }
      String header = readUntil(in, ' ');
      if (header == null) {
        return false;
      }
      int txnr = Integer.parseInt(header);
      String command = readUntil(in, ' ');
      byte[] data = readData(in);
      if (command == null || data == null) {
        return false;
      }
      switch (command) {
        case "open" -> respond(out, txnr, "200 OK\nrelp_version=0\nrelp_software=fake\ncommands=syslog");
        case "syslog" -> {
          Answer answer = script.answer;
          switch (answer) {
            case ACKNOWLEDGE -> {
              onRecord.accept(new String(data, StandardCharsets.UTF_8));
              respond(out, txnr, "200 OK");
            }
            case WITHHOLD -> onRecord.accept(new String(data, StandardCharsets.UTF_8));
            case REFUSE -> respond(out, txnr, "500 refused by the test");
            case SERVER_CLOSE -> {
              out.write("0 serverclose 0\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              return false;
            }
          }
        }
        case "close" -> {
          respond(out, txnr, "200 OK");
          out.flush();
          return true;
        }
        default -> throw new ProtocolException("unknown RELP command " + command);
      }
    }
  }

  /** DATALEN, then SP DATA if it is not 0, then the LF trailer; null if the stream ended. */
  private static byte[] readData(InputStream in) throws IOException {
    int length = 0;
    int b;
    while ((b = in.read()) >= '0' && b <= '9') {
      length = length * 10 + (b - '0');
    }
    if (b < 0) {
      return null;
    }
    if (length == 0) {
      if (b != '\n') {
        throw new ProtocolException("RELP frame without data does not end with LF");
      }
      return new byte[0];
    }
    if (b != ' ') {
      throw new ProtocolException("RELP DATALEN not followed by SP");
    }
    byte[] data = in.readNBytes(length);
    int trailer = in.read();
    if (data.length < length || trailer < 0) {
      return null;
    }
    if (trailer != '\n') {
      throw new ProtocolException("RELP frame does not end with LF");
    }
    return data;
  }

  private static void respond(OutputStream out, int txnr, String data) throws IOException {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    out.write((txnr + " rsp " + bytes.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write('\n');
  }

  private static String readUntil(InputStream in, char end) throws IOException {
    ByteArrayOutputStream field = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != end) {
      if (b < 0) {
        return null;
      }
      field.write(b);
    }
    return field.toString(StandardCharsets.US_ASCII);
  }
}
