package dev.logfailover.testing;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time: a CA, and server or client certificates it signs, with DNS and
 * IP subject alternative names and any validity window. Nothing is committed to the repository.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final char[] PASSWORD = "test-only".toCharArray();

  private TestCertificates() {}

  /** A key pair and its certificate chain (leaf first). */
  public record Held(KeyPair keyPair, List<X509Certificate> chain) {
    public X509Certificate certificate() {
      return chain.get(0);
    }
  }

  /** A certificate authority that signs test certificates. */
  public static final class Authority {
    private final Held held;

    private Authority(Held held) {
      this.held = held;
    }

    public X509Certificate certificate() {
      return held.certificate();
    }

    /** A leaf for {@code names}: each a DNS name, or an address literal for an IP SAN. */
    public Held issue(String commonName, String... names) throws GeneralSecurityException {
      Instant now = Instant.now();
      return issue(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), names);
    }

    public Held issue(String commonName, Instant notBefore, Instant notAfter, String... names)
        throws GeneralSecurityException {
      return sign(commonName, notBefore, notAfter, false, this, names);
    }
  }

  public static Authority newAuthority(String name) throws GeneralSecurityException {
    Instant now = Instant.now();
    return new Authority(sign(name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), true, null));
  }

  private static Held sign(String commonName, Instant notBefore, Instant notAfter, boolean isAuthority,
      Authority issuer, String... names) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keyPair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=" + commonName);
    X500Name issuerName = issuer == null ? subject
        : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
    try {
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
          keyPair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isAuthority));
      if (isAuthority) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      }
      if (names.length > 0) {
        List<GeneralName> alternatives = new ArrayList<>();
        for (String name : names) {
          alternatives.add(isAddress(name) ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
        }
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(alternatives.toArray(new GeneralName[0])));
      }
      var signer = new JcaContentSignerBuilder("SHA256withECDSA")
          .build(issuer == null ? keyPair.getPrivate() : issuer.held.keyPair().getPrivate());
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(certificate);
      if (issuer != null) {
        chain.addAll(issuer.held.chain());
      }
      return new Held(keyPair, chain);
    } catch (Exception e) {
      throw new GeneralSecurityException("cannot make a test certificate for " + commonName, e);
    }
  }

  private static boolean isAddress(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  /** A context that presents {@code identity} (may be null) and trusts certificates of {@code trusted}. */
  public static SSLContext context(Held identity, Authority... trusted) throws Exception {
    KeyManagerFactory keys = null;
    if (identity != null) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("identity", identity.keyPair().getPrivate(), PASSWORD,
          identity.chain().toArray(new X509Certificate[0]));
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, PASSWORD);
    }
    KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    for (int i = 0; i < trusted.length; i++) {
      trustStore.setCertificateEntry("ca" + i, trusted[i].certificate());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trustStore);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  /** Writes {@code identity} (key and chain) to a PKCS12 key store file, as a user would. */
  public static Path writeKeyStore(Path file, Held identity, String password) throws Exception {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("identity", identity.keyPair().getPrivate(), password.toCharArray(),
        identity.chain().toArray(new X509Certificate[0]));
    return store(file, keyStore, password);
  }

  /** Writes the certificates of {@code trusted} to a PKCS12 trust store file. */
  public static Path writeTrustStore(Path file, String password, Authority... trusted) throws Exception {
    KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    for (int i = 0; i < trusted.length; i++) {
      trustStore.setCertificateEntry("ca" + i, trusted[i].certificate());
    }
    return store(file, trustStore, password);
  }

  private static Path store(Path file, KeyStore store, String password) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  /** Writes {@code identity}'s certificate chain and private key as PEM files, as servers such as syslog-ng read them. */
  public static void writePem(Held identity, Path certificateFile, Path keyFile) throws Exception {
    try (JcaPEMWriter certificates = new JcaPEMWriter(Files.newBufferedWriter(certificateFile))) {
      for (X509Certificate certificate : identity.chain()) {
        certificates.writeObject(certificate);
      }
    }
    try (JcaPEMWriter key = new JcaPEMWriter(Files.newBufferedWriter(keyFile))) {
      key.writeObject(sec1(identity.keyPair()));
    }
  }

  /**
   * The key in the traditional SEC1 form ("EC PRIVATE KEY", RFC 5915) with its curve and public
   * point inside, which OpenSSL (syslog-ng) and GnuTLS (librelp, under rsyslog's imrelp) both read;
   * GnuTLS refuses the JDK's PKCS#8 encoding, whose inner key names no curve.
   */
  private static org.bouncycastle.util.io.pem.PemObject sec1(java.security.KeyPair keyPair) throws Exception {
    var publicKeyInfo = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
    var privateKey = (java.security.interfaces.ECPrivateKey) keyPair.getPrivate();
    var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(privateKey.getParams().getOrder().bitLength(),
        privateKey.getS(), publicKeyInfo.getPublicKeyData(), publicKeyInfo.getAlgorithm().getParameters());
    return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded());
  }

  /** Writes the authority's certificate as a PEM file (a CA file for a server verifying clients). */
  public static void writePem(Authority authority, Path certificateFile) throws Exception {
    try (JcaPEMWriter certificate = new JcaPEMWriter(Files.newBufferedWriter(certificateFile))) {
      certificate.writeObject(authority.certificate());
    }
  }

  /** For tests of address SANs: the address literal of loopback. */
  public static String loopback() {
    return InetAddress.getLoopbackAddress().getHostAddress();
  }
}
