package dev.logfailover.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverStatus;
import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.util.stream.IntStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugin at run time, configured from log4j2.xml text, against loopback collectors. */
class FailoverSocketAppenderTest {
  private FakeServer primary;
  private FakeServer failover1;
  private Log4j2Fixture log4j;

  @AfterEach
  void tearDown() {
    if (log4j != null) {
      log4j.close();
    }
    for (FakeServer server : new FakeServer[] {primary, failover1}) {
      if (server != null) {
        server.close();
      }
    }
    ThreadContext.clearAll();
  }

  private String appender(String layout, String extraAttributes) {
    return "<FailoverSocket name=\"collectors\" host=\"127.0.0.1\" port=\"" + primary.port() + "\" " + extraAttributes
        + "><Servers><Server host=\"127.0.0.1\" port=\"" + failover1.port() + "\"/></Servers>" + layout
        + "</FailoverSocket>";
  }

  private void start(Framing framing, String layout) throws Exception {
    primary = FakeServer.start("primary", framing);
    failover1 = FakeServer.start("failover1", framing);
    log4j = Log4j2Fixture.start(Log4j2Fixture.configuration(appender(layout, ""), "collectors"));
  }

  @Test
  void S4_rfc5424LayoutUsesOctetCountingAndKeepsAMultiLineStackTraceInOneRecord() throws Exception {
    start(Framing.OCTET_COUNTING, "<Rfc5424Layout appName=\"orders\" facility=\"LOCAL0\" includeMDC=\"true\" exceptionPattern=\"%ex\" newLine=\"true\"/>");
    ThreadContext.put("order", "42");
    log4j.logger("app").error("payment failed", new IllegalStateException("card declined"));
    ThreadContext.clearAll();
    log4j.logger("app").info("after");
    primary.awaitRecords(2);
    assertThat(primary.records()).as("the stack trace stays inside its one record").hasSize(2);
    assertThat(primary.records().get(0)).startsWith("<131>1 ").contains(" orders ").contains("order=\"42\"")
        .contains("payment failed\njava.lang.IllegalStateException: card declined\n\tat ");
    assertThat(primary.records().get(1)).endsWith(" after");
  }

  @Test
  void anEventLargerThanTheThreadsUsualBufferArrivesWholeAndTheNextSmallOneToo() throws Exception {
    start(Framing.NEWLINE, "<PatternLayout pattern=\"%m%n\"/>");
    String large = "x".repeat(100_000);
    log4j.logger("app").info(large);
    log4j.logger("app").info("small after");
    primary.awaitRecords(2);
    assertThat(primary.records()).containsExactly(large, "small after");
  }

  @Test
  void S4_syslogLayoutUsesNewlineFraming() throws Exception {
    start(Framing.NEWLINE, "<SyslogLayout appName=\"orders\" facility=\"LOCAL0\"/>");
    log4j.logger("app").warn("disk low");
    primary.awaitRecords(1);
    assertThat(primary.records().get(0)).startsWith("<132>").endsWith("disk low");
  }

  @Test
  void S4_patternLayoutNewlinesInsideARecordAreEscapedAndTheTrailingOneEndsIt() throws Exception {
    start(Framing.NEWLINE, "<PatternLayout pattern=\"%m%n\"/>");
    log4j.logger("app").info("line one\nforged line");
    log4j.logger("app").info("next");
    primary.awaitRecords(2);
    assertThat(primary.records()).containsExactly("line one\\nforged line", "next");
  }

  @Test
  void jsonTemplateLayoutRecordsArriveWholeAndCarryTheThreadContext() throws Exception {
    start(Framing.NEWLINE, "<JsonTemplateLayout eventTemplateUri=\"classpath:EcsLayout.json\"/>");
    ThreadContext.put("user", "ann");
    log4j.logger("app").info("json please");
    ThreadContext.clearAll();
    primary.awaitRecords(1);
    assertThat(primary.records().get(0)).startsWith("{").endsWith("}").contains("\"json please\"").contains("\"ann\"");
  }

  @Test
  void F11_failoverIsReportedToStatusLoggerAndInTheStatus() throws Exception {
    start(Framing.NEWLINE, "<PatternLayout pattern=\"%m%n\"/>");
    log4j.logger("app").info("first");
    primary.awaitRecords(1);
    primary.kill();
    FailoverSocketAppender appender = log4j.appender("collectors");
    Await.until(() -> appender.getStatus().failovers() == 1, () -> "a failover: " + appender.getStatus());
    log4j.logger("app").info("second");
    failover1.awaitRecords(1);
    assertThat(appender.getStatus().servers().get(0).state()).isEqualTo(FailoverStatus.ServerState.FAILED);
    assertThat(log4j.statusMessages(Level.WARN)).anyMatch(message -> message.startsWith("[collectors] Failed over from 127.0.0.1:"
        + primary.port() + " to " + failover1.hostAndPort()));
  }

  @Test
  void allAsyncLoggersHandOverEventsWhoseThreadContextAndMessageSurvive() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    failover1 = FakeServer.start("failover1", Framing.NEWLINE);
    log4j = Log4j2Fixture.startAllAsync(Log4j2Fixture.configuration(
        appender("<PatternLayout pattern=\"%X{n} %m%n\"/>", ""), "collectors"));
    Logger logger = log4j.logger("app");
    StringBuilder reused = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      ThreadContext.put("n", Integer.toString(i));
      reused.setLength(0);
      logger.info(reused.append("message ").append(i));
    }
    ThreadContext.clearAll();
    primary.awaitRecords(2000);
    assertThat(primary.records()).containsExactlyElementsOf(
        IntStream.range(0, 2000).mapToObj(i -> i + " message " + i).toList());
  }

  @Test
  void insideAnAsyncAppenderToo() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    failover1 = FakeServer.start("failover1", Framing.NEWLINE);
    log4j = Log4j2Fixture.start(Log4j2Fixture.configuration(
        appender("<PatternLayout pattern=\"%X{n} %m%n\"/>", "")
            + "<Async name=\"async\"><AppenderRef ref=\"collectors\"/></Async>", "async"));
    for (int i = 0; i < 500; i++) {
      ThreadContext.put("n", Integer.toString(i));
      log4j.logger("app").info("via async {}", i);
    }
    ThreadContext.clearAll();
    primary.awaitRecords(500);
    assertThat(primary.records().get(499)).isEqualTo("499 via async 499");
  }
}
