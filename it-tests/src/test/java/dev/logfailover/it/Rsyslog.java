package dev.logfailover.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** rsyslog with an {@code imtcp} input, which reads octet-counted and newline-framed records alike. */
final class Rsyslog extends Collector {
  Rsyslog(String name, Path directory) throws IOException {
    super(name, directory);
  }

  @Override
  List<String> command() throws IOException {
    Binaries.Rsyslog binary = Binaries.rsyslog();
    Path modules = binary.moduleDirectory();
    Files.writeString(directory.resolve("rsyslog.conf"), """
        global(workDirectory="%s" parser.escapeControlCharactersOnReceive="off")
        module(load="%s")
        input(type="imtcp" address="127.0.0.1" port="%d")
        template(name="fields" type="list" option.jsonf="on") {
          property(outname="host" name="hostname" format="jsonf")
          property(outname="program" name="programname" format="jsonf")
          property(outname="pid" name="procid" format="jsonf")
          property(outname="msgid" name="msgid" format="jsonf")
          property(outname="sdata" name="structured-data" format="jsonf")
          property(outname="message" name="msg" format="jsonf")
        }
        action(type="omfile" file="%s" template="fields")
        """.formatted(directory, modules == null ? "imtcp" : modules.resolve("imtcp.so"), port, output()));
    List<String> command = new ArrayList<>(List.of(binary.executable().toString(), "-n", "-f",
        directory.resolve("rsyslog.conf").toString(), "-i", directory.resolve("pid").toString()));
    if (modules != null) {
      command.addAll(List.of("-M", modules.toString()));
    }
    return command;
  }
}
