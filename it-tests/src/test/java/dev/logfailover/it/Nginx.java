package dev.logfailover.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx from Debian's package in front of an HTTP collector, as many teams run it: a reverse proxy
 * on a loopback port, over http or https, that closes kept-alive connections after {@code
 * keepalive_requests} requests (answering the last with {@code Connection: close}) or {@code
 * keepalive_timeout} of idleness, and refuses bodies beyond {@code client_max_body_size} with 413.
 * Run by the test in the foreground, as an unprivileged-looking process with everything under
 * its own directory.
 */
final class Nginx extends Collector {
  private final int upstreamPort;
  private int keepaliveRequests = 1000;
  private String keepaliveTimeout = "75s";
  private String clientMaxBodySize = "1m";
  private Path certificate;
  private Path key;

  Nginx(String name, Path directory, int upstreamPort) throws IOException {
    super(name, directory);
    this.upstreamPort = upstreamPort;
  }

  Nginx keepalive(int requests, String timeout) {
    keepaliveRequests = requests;
    keepaliveTimeout = timeout;
    return this;
  }

  Nginx clientMaxBodySize(String size) {
    clientMaxBodySize = size;
    return this;
  }

  /** Serves https with this PEM certificate and key. */
  Nginx tls(Path certificate, Path key) {
    this.certificate = certificate;
    this.key = key;
    return this;
  }

  @Override
  List<String> command() throws IOException {
    String tls = certificate == null ? "" : " ssl;\n    ssl_certificate " + certificate + ";\n    ssl_certificate_key " + key;
    // As root, nginx's workers would run as nobody and could not write into the test's directory.
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    Files.writeString(directory.resolve("nginx.conf"), user + """
        worker_processes 1;
        error_log %1$s/error.log warn;
        pid %1$s/nginx.pid;
        events { worker_connections 256; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          keepalive_requests %2$d;
          keepalive_timeout %3$s;
          client_max_body_size %4$s;
          server {
            listen 127.0.0.1:%5$d%6$s;
            location / {
              proxy_pass http://127.0.0.1:%7$d;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
          }
        }
        """.formatted(directory, keepaliveRequests, keepaliveTimeout, clientMaxBodySize, port, tls, upstreamPort));
    return List.of(Binaries.nginx().toString(), "-p", directory.toString(), "-c", directory.resolve("nginx.conf").toString(),
        "-g", "daemon off;");
  }
}
