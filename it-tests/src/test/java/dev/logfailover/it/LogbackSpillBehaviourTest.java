package dev.logfailover.it;

/** The durable spill through logback.xml. */
class LogbackSpillBehaviourTest extends SpillBehaviourTest {
  @Override
  AppenderDriver newDriver() {
    return new LogbackDriver();
  }

  @Override
  String appenderName() {
    return "COLLECTORS";
  }
}
