package dev.logfailover.it;

/** HTTP collectors through logback.xml. */
class LogbackHttpBehaviourTest extends HttpBehaviourTest {
  @Override
  AppenderDriver newDriver() {
    return new LogbackDriver();
  }
}
