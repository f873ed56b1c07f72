package dev.logfailover;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * How TLS connections are made (F7): one {@link SSLContext} for every server (so mutual TLS
 * presents the same client certificate to all), optional protocol and cipher suite lists, and
 * hostname verification, on by default: each server's certificate is checked against that
 * server's own configured name, and SNI carries that name. Immutable.
 */
public final class TlsOptions {
  private final SSLContext sslContext;
  private final boolean hostnameVerification;
  private final List<String> protocols;
  private final List<String> cipherSuites;

  private TlsOptions(Builder builder) {
    this.sslContext = builder.sslContext;
    this.hostnameVerification = builder.hostnameVerification;
    this.protocols = List.copyOf(builder.protocols);
    this.cipherSuites = List.copyOf(builder.cipherSuites);
  }

  /** The JVM's default context (its default trust store), hostname verification on. */
  public static TlsOptions defaults() {
    try {
      return builder(SSLContext.getDefault()).build();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no default TLS context", e);
    }
  }

  public static Builder builder(SSLContext sslContext) {
    return new Builder(sslContext);
  }

  public SSLContext sslContext() {
    return sslContext;
  }

  public boolean hostnameVerification() {
    return hostnameVerification;
  }

  /** Enabled protocols, e.g. TLSv1.3; empty means the context's defaults. */
  public List<String> protocols() {
    return protocols;
  }

  /** Enabled cipher suites; empty means the context's defaults. */
  public List<String> cipherSuites() {
    return cipherSuites;
  }

  @Override
  public String toString() {
    // Never the key material: only what a status message may show.
    return "TlsOptions{protocol=" + sslContext.getProtocol() + ", hostnameVerification=" + hostnameVerification
        + ", protocols=" + protocols + ", cipherSuites=" + cipherSuites + "}";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final SSLContext sslContext;
    private boolean hostnameVerification = true;
    private List<String> protocols = List.of();
    private List<String> cipherSuites = List.of();

    private Builder(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    }

    /** Turning it off must be explicit; adapters report it as a warning at start. */
    public Builder hostnameVerification(boolean hostnameVerification) {
      this.hostnameVerification = hostnameVerification;
      return this;
    }

    public Builder protocols(List<String> protocols) {
      this.protocols = List.copyOf(protocols);
      return this;
    }

    public Builder cipherSuites(List<String> cipherSuites) {
      this.cipherSuites = List.copyOf(cipherSuites);
      return this;
    }

    /**
     * @throws ConfigException naming {@code protocols} when the protocols and cipher suites allow
     *     no handshake at all with this context (checked by producing a ClientHello locally)
     */
    public TlsOptions build() {
      checkUsable();
      return new TlsOptions(this);
    }

    private void checkUsable() {
      SSLEngine engine = sslContext.createSSLEngine();
      engine.setUseClientMode(true);
      try {
        if (!protocols.isEmpty()) {
          engine.setEnabledProtocols(protocols.toArray(new String[0]));
        }
        if (!cipherSuites.isEmpty()) {
          engine.setEnabledCipherSuites(cipherSuites.toArray(new String[0]));
        }
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
      } catch (SSLException | IllegalArgumentException e) {
        throw new ConfigException("protocols", protocols.isEmpty() ? "(defaults)" : String.join(",", protocols),
            "no handshake is possible with the " + sslContext.getProtocol() + " context and these protocols and "
                + cipherSuites.size() + " cipher suites (" + e.getMessage() + ")");
      } finally {
        engine.closeOutbound();
      }
    }
  }
}
