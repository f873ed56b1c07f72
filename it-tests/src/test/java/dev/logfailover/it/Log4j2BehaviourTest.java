package dev.logfailover.it;

/** The failover contract through log4j2.xml. */
class Log4j2BehaviourTest extends AppenderBehaviourTest {
  @Override
  AppenderDriver newDriver() {
    return new Log4j2Driver();
  }
}
