package dev.logfailover.it;

/** F7 through logback.xml and Logback's {@code <ssl>}. */
class LogbackTlsBehaviourTest extends TlsBehaviourTest {
  @Override
  AppenderDriver newDriver() {
    return new LogbackDriver();
  }
}
