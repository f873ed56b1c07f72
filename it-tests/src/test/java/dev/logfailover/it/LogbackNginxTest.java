package dev.logfailover.it;

/** {@link NginxTest} through Logback's logback.xml. */
class LogbackNginxTest extends NginxTest {
  @Override
  AppenderDriver newDriver() {
    return new LogbackDriver();
  }
}
