package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.TlsOptions;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who a TLS server must be (F7, F18): each server is verified against its own configured name, and
 * SNI carries that name. The JDK does both for ordinary names. Two kinds of name it cannot take
 * are still reached and verified by their name:
 *
 * <ul>
 *   <li>an absolute name ({@code collector.example.com.}) goes without its trailing dot, which
 *       neither SNI nor a certificate carries (RFC 6066);
 *   <li>a name with an {@code _} (common in container and Compose service names) is no valid SNI
 *       host name, and the JDK's check refuses every certificate for it. It is sent without SNI,
 *       the chain is verified by the trust manager during the handshake as always, and the name is
 *       matched after it, before any byte of an event is written, by RFC 6125's rule as the JDK
 *       applies it to other names: a DNS subject alternative name equal to it ignoring case, or a
 *       wildcard that stands for exactly its leftmost label.
 * </ul>
 *
 * <p>Stateless.
 */
final class ServerIdentity {
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
  /** The subjectAltName type of a dNSName (RFC 5280). */
  private static final Integer DNS_NAME = 2;

  private ServerIdentity() {
  }

  static SSLEngine engineFor(Endpoint server, TlsOptions tls) {
    String name = nameOf(server);
    SSLEngine engine = tls.sslContext().createSSLEngine(name, server.port());
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    boolean address = IP_LITERAL.matcher(name).matches();
    SNIHostName serverName = address ? null : serverNameOrNull(name);
    if (tls.hostnameVerification() && (address || serverName != null)) {
      // "HTTPS" is RFC 2818 checking: DNS SAN for a name, IP SAN for an address.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (serverName != null) {
      // Each server's own name, never the primary's (F7); RFC 6066 allows no address in SNI.
      parameters.setServerNames(List.of(serverName));
    }
    if (!tls.protocols().isEmpty()) {
      parameters.setProtocols(tls.protocols().toArray(new String[0]));
    }
    if (!tls.cipherSuites().isEmpty()) {
      parameters.setCipherSuites(tls.cipherSuites().toArray(new String[0]));
    }
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** After the handshake: matches a name the JDK could not check against the server's certificate. */
  static void verifyNameTheJdkCannotCheck(Endpoint server, TlsOptions tls, SSLSession session)
      throws SSLPeerUnverifiedException {
    String name = nameOf(server);
    if (!tls.hostnameVerification() || IP_LITERAL.matcher(name).matches() || serverNameOrNull(name) != null) {
      return;
    }
    Certificate[] chain = session.getPeerCertificates();
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new SSLPeerUnverifiedException(server + " presented no X.509 certificate");
    }
    List<String> names = dnsNames(leaf);
    if (names.stream().noneMatch(candidate -> matches(name, candidate))) {
      throw new SSLPeerUnverifiedException("no subject alternative name of the certificate of " + server
          + " matches " + name + " (it names " + names + ")");
    }
  }

  /** The server's name as TLS knows it: without the trailing dot of an absolute name. */
  private static String nameOf(Endpoint server) {
    String host = server.host();
    return host.length() > 1 && host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  private static SNIHostName serverNameOrNull(String name) {
    try {
      return new SNIHostName(name);
    } catch (IllegalArgumentException notAHostName) {
      return null;
    }
  }

  private static List<String> dnsNames(X509Certificate certificate) throws SSLPeerUnverifiedException {
    try {
      var alternativeNames = certificate.getSubjectAlternativeNames();
      return alternativeNames == null ? List.of() : alternativeNames.stream()
          .filter(entry -> entry.size() == 2 && DNS_NAME.equals(entry.get(0)))
          .map(entry -> String.valueOf(entry.get(1)))
          .toList();
    } catch (CertificateParsingException e) {
      throw new SSLPeerUnverifiedException("the certificate's names cannot be read: " + e.getMessage());
    }
  }

  static boolean matches(String name, String candidate) {
    String host = name.toLowerCase(Locale.ROOT);
    String pattern = candidate.toLowerCase(Locale.ROOT);
    if (!pattern.startsWith("*.")) {
      return host.equals(pattern);
    }
    // "*.com" would stand for a whole top-level domain: no certificate may claim that.
    int firstDot = host.indexOf('.');
    return pattern.indexOf('.', 2) > 0 && firstDot > 0 && host.substring(firstDot).equals(pattern.substring(1));
  }
}
