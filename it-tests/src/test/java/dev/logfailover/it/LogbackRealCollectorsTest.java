package dev.logfailover.it;

/** syslog-ng and rsyslog behind logback.xml. */
class LogbackRealCollectorsTest extends RealCollectorsTest {
  @Override
  AppenderDriver newDriver() {
    return new LogbackDriver();
  }
}
