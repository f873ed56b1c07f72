package dev.logfailover.testing;

import dev.logfailover.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link HostResolver} that maps test host names to loopback addresses and counts lookups; an
 * unmapped name does not resolve. Mappings may change while the engine runs (F12). Thread-safe.
 */
public final class FakeResolver implements HostResolver {
  private final Map<String, List<InetAddress>> hosts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

  /** Maps {@code host} to {@code addresses} (literal IPs), tried in this order. */
  public FakeResolver map(String host, String... addresses) {
    InetAddress[] resolved = new InetAddress[addresses.length];
    for (int i = 0; i < addresses.length; i++) {
      try {
        resolved[i] = InetAddress.getByName(addresses[i]);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not a literal address: " + addresses[i], e);
      }
    }
    hosts.put(host, List.of(resolved));
    return this;
  }

  public FakeResolver unmap(String host) {
    hosts.remove(host);
    return this;
  }

  public int lookups(String host) {
    AtomicInteger count = lookups.get(host);
    return count == null ? 0 : count.get();
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    lookups.computeIfAbsent(host, key -> new AtomicInteger()).incrementAndGet();
    List<InetAddress> addresses = hosts.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host + ": not mapped in FakeResolver");
    }
    return addresses.toArray(new InetAddress[0]);
  }
}
