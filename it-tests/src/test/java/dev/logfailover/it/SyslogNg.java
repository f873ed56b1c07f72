package dev.logfailover.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * syslog-ng with one source: {@code syslog()} over TCP (octet counting), {@code network()} over TCP
 * (newline), or {@code syslog()} over TLS (RFC 5425) with a key, certificate and, to require
 * client certificates, a CA file.
 */
final class SyslogNg extends Collector {
  enum Source { SYSLOG, NETWORK, SYSLOG_TLS }

  private final Source source;
  private String tlsOptions = "";

  SyslogNg(String name, Path directory, Source source) throws IOException {
    super(name, directory);
    this.source = source;
  }

  /** For {@link Source#SYSLOG_TLS}: serve {@code certificate}; with {@code clientCa}, require a client certificate it signed. */
  SyslogNg tls(Path certificate, Path key, Path clientCa) {
    tlsOptions = " tls(key-file(\"" + key + "\") cert-file(\"" + certificate + "\")"
        + (clientCa == null ? " peer-verify(optional-untrusted)" : " ca-file(\"" + clientCa + "\") peer-verify(required-trusted)")
        + ")";
    return this;
  }

  @Override
  List<String> command() throws IOException {
    String driver = source == Source.NETWORK ? "network" : "syslog";
    String transport = source == Source.SYSLOG_TLS ? "tls" : "tcp";
    Files.writeString(directory.resolve("syslog-ng.conf"), """
        @version: 3.38
        options { chain-hostnames(no); use-dns(no); dns-cache(no); keep-hostname(yes); stats-freq(0); };
        source s_in { %s(ip("127.0.0.1") port(%d) transport("%s")%s max-connections(50)); };
        destination d_out { file("%s" template("$(format-json host=${HOST} program=${PROGRAM} pid=${PID} \\
        msgid=${MSGID} sdata=${SDATA} message=${MESSAGE})\\n")); };
        log { source(s_in); destination(d_out); };
        """.formatted(driver, port, transport, tlsOptions, output()));
    return List.of(Binaries.syslogNg().toString(), "-F", "--no-caps", "-f", directory.resolve("syslog-ng.conf").toString(),
        "--persist-file=" + directory.resolve("persist"), "--pidfile=" + directory.resolve("pid"),
        "--control=" + directory.resolve("ctl"));
  }
}
