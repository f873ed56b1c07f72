package dev.logfailover.it;

/** HTTP collectors through log4j2.xml. */
class Log4j2HttpBehaviourTest extends HttpBehaviourTest {
  @Override
  AppenderDriver newDriver() {
    return new Log4j2Driver();
  }
}
