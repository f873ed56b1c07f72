package dev.logfailover.it;

/** {@link NginxTest} through Log4j2's log4j2.xml. */
class Log4j2NginxTest extends NginxTest {
  @Override
  AppenderDriver newDriver() {
    return new Log4j2Driver();
  }
}
