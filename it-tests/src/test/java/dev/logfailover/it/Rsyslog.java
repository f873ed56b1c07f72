package dev.logfailover.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * rsyslog with an {@code imtcp} input, which reads octet-counted and newline-framed records alike,
 * or an {@code imrelp} input (Debian's rsyslog-relp), plain or inside TLS requiring a client
 * certificate from the test CA ({@code tls.authMode="certvalid"}).
 */
final class Rsyslog extends Collector {
  enum Input { TCP, RELP }

  private final Input input;
  private Path caCertificate;
  private Path certificate;
  private Path key;

  Rsyslog(String name, Path directory) throws IOException {
    this(name, directory, Input.TCP);
  }

  Rsyslog(String name, Path directory, Input input) throws IOException {
    super(name, directory);
    this.input = input;
  }

  /** RELP inside TLS: presents {@code certificate}, accepts clients whose certificate the CA signed. */
  Rsyslog tls(Path caCertificate, Path certificate, Path key) {
    this.caCertificate = caCertificate;
    this.certificate = certificate;
    this.key = key;
    return this;
  }

  @Override
  List<String> command() throws IOException {
    Binaries.Rsyslog binary = input == Input.RELP ? Binaries.rsyslogWithRelp() : Binaries.rsyslog();
    Path modules = binary.moduleDirectory();
    String module = input == Input.RELP ? "imrelp" : "imtcp";
    String tlsSettings = caCertificate == null ? "" : """
         tls="on" tls.cacert="%s" tls.mycert="%s" tls.myprivkey="%s" tls.authMode="certvalid"\
        """.formatted(caCertificate, certificate, key);
    // imrelp acknowledges an event once rsyslog queued it. With the default in-memory main queue a
    // SIGKILL loses what was acknowledged and not yet written; a Direct queue for the RELP input's
    // ruleset writes it before the acknowledgement goes out, as the README recommends.
    String ruleset = input == Input.RELP ? " ruleset=\"written\"" : "";
    Files.writeString(directory.resolve("rsyslog.conf"), """
        global(workDirectory="%s" parser.escapeControlCharactersOnReceive="off")
        module(load="%s")
        input(type="%s" address="127.0.0.1" port="%d"%s%s)
        template(name="fields" type="list" option.jsonf="on") {
          property(outname="host" name="hostname" format="jsonf")
          property(outname="program" name="programname" format="jsonf")
          property(outname="pid" name="procid" format="jsonf")
          property(outname="msgid" name="msgid" format="jsonf")
          property(outname="sdata" name="structured-data" format="jsonf")
          property(outname="message" name="msg" format="jsonf")
        }
        action(type="omfile" file="%s" template="fields")
        ruleset(name="written" queue.type="Direct") {
          action(type="omfile" file="%s" template="fields")
        }
        """.formatted(directory, modules == null ? module : modules.resolve(module + ".so"), module, port,
        tlsSettings, ruleset, output(), output()));
    List<String> command = new ArrayList<>(List.of(binary.executable().toString(), "-n", "-f",
        directory.resolve("rsyslog.conf").toString(), "-i", directory.resolve("pid").toString()));
    if (modules != null) {
      command.addAll(List.of("-M", modules.toString()));
    }
    return command;
  }
}
