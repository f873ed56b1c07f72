package dev.logfailover;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a configured host name into addresses. Called at every connection attempt and every probe
 * (F12), so DNS changes are honoured. Tests inject one that maps test names to loopback addresses.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HostResolver {
  /** The JDK's resolver (which honours the JVM's own DNS cache settings). */
  HostResolver SYSTEM = InetAddress::getAllByName;

  /** Returns every address of {@code host}, in the order to try them; never an empty array. */
  InetAddress[] resolve(String host) throws UnknownHostException;
}
