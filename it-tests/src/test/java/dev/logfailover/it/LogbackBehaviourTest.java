package dev.logfailover.it;

/** The failover contract through logback.xml. */
class LogbackBehaviourTest extends AppenderBehaviourTest {
  @Override
  AppenderDriver newDriver() {
    return new LogbackDriver();
  }
}
