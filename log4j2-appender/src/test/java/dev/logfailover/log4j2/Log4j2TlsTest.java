package dev.logfailover.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.testing.TestCertificates;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log4j2's own {@code <Ssl>} element as our plugin reads it; TLS behaviour itself is in it-tests. */
class Log4j2TlsTest {
  private static final String PASSWORD = "store-secret-42";
  @TempDir Path directory;
  private Path trustStore;

  @BeforeEach
  void trustStore() throws Exception {
    trustStore = TestCertificates.writeTrustStore(directory.resolve("ca.p12"), PASSWORD,
        TestCertificates.newAuthority("collectors CA"));
  }

  private static String appender(String attributes, String ssl) {
    return Log4j2Fixture.configuration("<FailoverSocket name=\"collectors\" host=\"localhost\" port=\"6514\" " + attributes
        + ">" + ssl + "<PatternLayout pattern=\"%m\"/></FailoverSocket>", "collectors");
  }

  @Test
  void turningHostnameVerificationOffIsExplicitAndWarned() throws Exception {
    String xml = appender("transport=\"tls\" hostnameVerification=\"false\"",
        "<Ssl><TrustStore location=\"" + trustStore + "\" password=\"" + PASSWORD + "\"/></Ssl>");
    try (Log4j2Fixture log4j = Log4j2Fixture.start(xml)) {
      FailoverSocketAppender appender = log4j.appender("collectors");
      assertThat(appender.getFailoverConfig().tls().orElseThrow().hostnameVerification()).isFalse();
      assertThat(log4j.statusMessages(Level.WARN)).anyMatch(message -> message.contains("hostnameVerification is off"));
    }
  }

  @Test
  void anUnreadableTrustStoreStopsTheAppenderAndThePasswordNeverShows() throws Exception {
    String xml = appender("transport=\"tls\"",
        "<Ssl><TrustStore location=\"" + trustStore + "\" password=\"wrong-" + PASSWORD + "\"/></Ssl>");
    try (Log4j2Fixture log4j = Log4j2Fixture.start(xml)) {
      assertThat((Object) log4j.appender("collectors")).as("no silent fall-back to the JVM's trust store; status: %s",
          log4j.statusMessages(Level.DEBUG)).isNull();
      assertThat(log4j.statusMessages(Level.ERROR)).anyMatch(message -> message.contains("'Ssl'"));
      assertThat(log4j.statusMessages(Level.DEBUG)).noneMatch(message -> message.contains(PASSWORD));
    }
  }

  @Test
  void aTrustStoreThatCannotBeLoadedBesideAKeyStoreThatCanStopsTheAppenderInsteadOfTrustingTheJvmsCas()
      throws Exception {
    Path keyStore = TestCertificates.writeKeyStore(directory.resolve("client.p12"),
        TestCertificates.newAuthority("client CA").issue("client"), PASSWORD);
    String xml = appender("transport=\"tls\"", "<Ssl><KeyStore location=\"" + keyStore + "\" password=\"" + PASSWORD
        + "\"/><TrustStore location=\"" + trustStore + "\" password=\"wrong-" + PASSWORD + "\"/></Ssl>");
    try (Log4j2Fixture log4j = Log4j2Fixture.start(xml)) {
      assertThat((Object) log4j.appender("collectors")).as("status: %s", log4j.statusMessages(Level.DEBUG)).isNull();
      assertThat(log4j.statusMessages(Level.ERROR)).anyMatch(message -> message.contains("'Ssl'")
          && message.contains("no usable TrustStore"));
    }
  }

  @Test
  void anSslElementWithoutTlsTransportIsRefused() throws Exception {
    String xml = appender("", "<Ssl><TrustStore location=\"" + trustStore + "\" password=\"" + PASSWORD + "\"/></Ssl>");
    try (Log4j2Fixture log4j = Log4j2Fixture.start(xml)) {
      assertThat((Object) log4j.appender("collectors")).isNull();
      assertThat(log4j.statusMessages(Level.ERROR)).anyMatch(message -> message.contains("'transport'")
          && message.contains("must be 'tls'"));
    }
  }
}
