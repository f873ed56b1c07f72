/**
 * logfailover's engine. Applications see only the API package; the adapter package is for the
 * Logback and Log4j2 appenders alone, and the engine's own packages are not exported at all.
 */
module dev.logfailover.core {
  requires java.management;
  /** TCP_QUICKACK for RELP's answers (jdk.net.ExtendedSocketOptions). */
  requires jdk.net;

  exports dev.logfailover;
  exports dev.logfailover.adapter to dev.logfailover.logback, dev.logfailover.log4j2;
}
