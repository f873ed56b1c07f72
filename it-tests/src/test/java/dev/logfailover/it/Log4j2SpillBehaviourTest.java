package dev.logfailover.it;

/** The durable spill through log4j2.xml. */
class Log4j2SpillBehaviourTest extends SpillBehaviourTest {
  @Override
  AppenderDriver newDriver() {
    return new Log4j2Driver();
  }

  @Override
  String appenderName() {
    return "collectors";
  }
}
