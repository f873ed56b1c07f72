package dev.logfailover.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** syslog-ng with one TCP source: {@code syslog()} (octet counting) or {@code network()} (newline). */
final class SyslogNg extends Collector {
  enum Source { SYSLOG, NETWORK }

  private final Source source;

  SyslogNg(String name, Path directory, Source source) throws IOException {
    super(name, directory);
    this.source = source;
  }

  @Override
  List<String> command() throws IOException {
    String driver = source == Source.SYSLOG ? "syslog" : "network";
    Files.writeString(directory.resolve("syslog-ng.conf"), """
        @version: 3.38
        options { chain-hostnames(no); use-dns(no); dns-cache(no); keep-hostname(yes); stats-freq(0); };
        source s_in { %s(ip("127.0.0.1") port(%d) transport("tcp") max-connections(50)); };
        destination d_out { file("%s" template("$(format-json host=${HOST} program=${PROGRAM} pid=${PID} \\
        msgid=${MSGID} sdata=${SDATA} message=${MESSAGE})\\n")); };
        log { source(s_in); destination(d_out); };
        """.formatted(driver, port, output()));
    return List.of(Binaries.syslogNg().toString(), "-F", "--no-caps", "-f", directory.resolve("syslog-ng.conf").toString(),
        "--persist-file=" + directory.resolve("persist"), "--pidfile=" + directory.resolve("pid"),
        "--control=" + directory.resolve("ctl"));
  }
}
