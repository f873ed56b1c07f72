package dev.logfailover.logback;

import ch.qos.logback.core.net.ssl.SSLConfigurable;
import ch.qos.logback.core.net.ssl.SSLConfiguration;
import ch.qos.logback.core.spi.ContextAware;
import dev.logfailover.ConfigException;
import dev.logfailover.TlsOptions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Translates Logback's own {@code <ssl>} element ({@link SSLConfiguration}: key store, trust store,
 * protocol, {@code <parameters>} with included/excluded protocols and cipher suites) into {@link
 * TlsOptions}. Hostname verification is the appender's {@code <hostnameVerification>}, on by
 * default, because Logback's own parameter defaults to off and an explicit "off" there cannot be
 * told from the default.
 */
final class LogbackTls {
  private LogbackTls() {}

  /** @throws ConfigException naming {@code ssl} when the key or trust store cannot be loaded */
  static TlsOptions options(SSLConfiguration ssl, boolean hostnameVerification, ContextAware reporter) {
    SSLContext context;
    try {
      context = ssl == null ? SSLContext.getDefault() : ssl.createContext(reporter);
    } catch (GeneralSecurityException | RuntimeException e) {
      // The message names the store and the problem, never the password.
      throw new ConfigException("ssl", describe(ssl), "cannot set up TLS: " + e);
    }
    TlsOptions.Builder options = TlsOptions.builder(context).hostnameVerification(hostnameVerification);
    if (ssl != null && ssl.getParameters() != null) {
      ChosenParameters chosen = new ChosenParameters(context);
      ssl.getParameters().setContext(reporter.getContext());
      ssl.getParameters().configure(chosen);
      options.protocols(chosen.protocols).cipherSuites(chosen.cipherSuites);
    }
    return options.build();
  }

  private static String describe(SSLConfiguration ssl) {
    if (ssl == null) {
      return "the JVM's default";
    }
    String keyStore = ssl.getKeyStore() == null ? "none" : ssl.getKeyStore().getLocation();
    String trustStore = ssl.getTrustStore() == null ? "none" : ssl.getTrustStore().getLocation();
    return "keyStore " + keyStore + ", trustStore " + trustStore;
  }

  /** Receives what Logback's include/exclude lists resolve to against this JVM's support. */
  private static final class ChosenParameters implements SSLConfigurable {
    private final SSLParameters defaults;
    private final SSLParameters supported;
    private List<String> protocols = List.of();
    private List<String> cipherSuites = List.of();

    ChosenParameters(SSLContext context) {
      this.defaults = context.getDefaultSSLParameters();
      this.supported = context.getSupportedSSLParameters();
    }

    @Override
    public String[] getDefaultProtocols() {
      return defaults.getProtocols();
    }

    @Override
    public String[] getSupportedProtocols() {
      return supported.getProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      this.protocols = Arrays.asList(protocols);
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return defaults.getCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return supported.getCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] cipherSuites) {
      this.cipherSuites = Arrays.asList(cipherSuites);
    }

    @Override
    public void setNeedClientAuth(boolean needClientAuth) {
      // A server-side setting; a client presents its key store's certificate when asked.
    }

    @Override
    public void setWantClientAuth(boolean wantClientAuth) {
      // A server-side setting, as above.
    }

    @Override
    public void setHostnameVerification(boolean verify) {
      // Decided by the appender's own <hostnameVerification>, on by default (see class comment).
    }
  }
}
