package dev.logfailover.it;

/** syslog-ng and rsyslog behind log4j2.xml. */
class Log4j2RealCollectorsTest extends RealCollectorsTest {
  @Override
  AppenderDriver newDriver() {
    return new Log4j2Driver();
  }
}
