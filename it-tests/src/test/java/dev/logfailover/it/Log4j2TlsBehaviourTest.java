package dev.logfailover.it;

/** F7 through log4j2.xml and Log4j2's {@code <Ssl>}. */
class Log4j2TlsBehaviourTest extends TlsBehaviourTest {
  @Override
  AppenderDriver newDriver() {
    return new Log4j2Driver();
  }
}
