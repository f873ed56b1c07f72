package dev.logfailover.log4j2;

import dev.logfailover.ConfigException;
import dev.logfailover.TlsOptions;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.apache.logging.log4j.core.net.ssl.SslConfiguration;

/**
 * Translates Log4j2's own {@code <Ssl>} element (key store, trust store, protocol) into {@link
 * TlsOptions}. Hostname verification is the appender's {@code hostnameVerification} attribute, on
 * by default, because Log4j2's {@code verifyHostName} defaults to off.
 */
final class Log4j2Tls {
  private Log4j2Tls() {}

  /**
   * An {@code <Ssl>} without a usable TrustStore is refused. Log4j2 drops a store it cannot load
   * (and reports why) and then trusts the JVM's default CAs: a TrustStore that failed to load
   * beside a KeyStore that loaded would trust CAs the user never chose, and Log4j2 gives no way to
   * tell a dropped store from one never given. The JVM's CAs are had by leaving {@code <Ssl>} out,
   * or by naming the JVM's {@code cacerts} as the TrustStore.
   */
  static TlsOptions options(SslConfiguration ssl, boolean hostnameVerification) {
    if (ssl != null && ssl.getTrustStoreConfig() == null) {
      throw new ConfigException("Ssl", "protocol " + ssl.getProtocol(), "it has no usable TrustStore: one that "
          + "could not be loaded is reported by StatusLogger above; to trust the JVM's default CAs, leave <Ssl> out "
          + "or name the JVM's cacerts as the TrustStore");
    }
    SSLContext context;
    if (ssl == null) {
      try {
        context = SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new ConfigException("Ssl", "the JVM's default", "cannot set up TLS: " + e);
      }
    } else {
      context = ssl.getSslContext();
      if (context == null) {
        throw new ConfigException("Ssl", "protocol " + ssl.getProtocol(),
            "the TLS context could not be made; see the StatusLogger errors about its KeyStore or TrustStore");
      }
    }
    return TlsOptions.builder(context).hostnameVerification(hostnameVerification).build();
  }
}
