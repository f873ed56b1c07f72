package dev.logfailover.adapter;

import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverSender;
import dev.logfailover.FailoverStatus;
import java.util.List;
import javax.management.JMException;

/**
 * What both adapters do around a {@link FailoverSender}, written once: report to the framework's
 * status system, publish the MBean, say what started and what stopped, and take over a
 * predecessor's backlog at a reconfiguration.
 *
 * <p>Threading: {@link #send} from any logging thread; the lifecycle from the framework's
 * configuration thread.
 */
public final class AppenderEngine {
  private final String appenderName;
  private final FailoverConfig config;
  private final StatusSink sink;
  private final FailoverSender sender;
  /** Guarded by this. */
  private StatusMBean mbean;

  private AppenderEngine(String appenderName, FailoverConfig config, StatusSink sink) {
    this.appenderName = appenderName;
    this.config = config;
    this.sink = sink;
    this.sender = FailoverSender.create(config, appenderName, StatusReportingListener.forAppender(appenderName, sink));
  }

  /** An engine for the appender {@code appenderName}, not started yet. */
  public static AppenderEngine create(String appenderName, FailoverConfig config, StatusSink sink) {
    return new AppenderEngine(appenderName, config, sink);
  }

  /**
   * Starts sending. A {@code predecessor} (the same appender in the configuration being replaced)
   * hands over every event it has not delivered; they go first (its engine retires). Null when
   * there is none.
   */
  public synchronized void startTakingOver(AppenderEngine predecessor) {
    if (predecessor != null) {
      sender.carryOver(predecessor.sender.handOff());
      predecessor.unregisterMBean();
    }
    start(List.of());
  }

  /**
   * Starts sending, first the {@code backlog} a predecessor left when it stopped ({@link
   * #stopKeepingUndelivered}), within this engine's bounds.
   */
  public synchronized void start(List<byte[]> backlog) {
    if (!backlog.isEmpty()) {
      sender.carryOver(backlog);
    }
    sender.start();
    try {
      mbean = StatusMBean.register(appenderName, sender::status);
    } catch (JMException | RuntimeException e) {
      sink.warn(prefix() + "cannot publish the status MBean; getStatus() still works", e);
    }
    sink.info(prefix() + "started, sending to " + config.servers() + " in "
        + (config.failback().isPresent() ? "failback" : "round-robin") + " mode");
  }

  /** Queues one encoded event; false when dropped (counted) or when this engine has retired. */
  public boolean send(byte[] record) {
    return sender.send(record);
  }

  /** See {@link FailoverSender#send(byte[], int, int)}: the bytes are copied, so the caller may reuse them. */
  public boolean send(byte[] bytes, int offset, int length) {
    return sender.send(bytes, offset, length);
  }

  /** True once a successor took this engine's work over; a refused event goes there instead. */
  public boolean isRetired() {
    return sender.isRetired();
  }

  /** Flushes within {@code shutdownTimeout} (F10), withdraws the MBean and reports the final counts. */
  public void stop() {
    boolean wasSending = sender.isStarted();
    sender.stop();
    unregisterMBean();
    if (!wasSending) {
      return;
    }
    FailoverStatus status = sender.status();
    sink.info(prefix() + "stopped: " + status.eventsSent() + " events sent, " + status.eventsDropped()
        + " dropped");
  }

  /**
   * {@link #stop()}, keeping what the flush could not deliver for a successor that starts later
   * (a Logback reconfiguration), instead of counting it as dropped. The final report says how many.
   */
  public List<byte[]> stopKeepingUndelivered() {
    boolean wasSending = sender.isStarted();
    List<byte[]> kept = sender.stopKeepingUndelivered();
    unregisterMBean();
    if (wasSending) {
      FailoverStatus status = sender.status();
      sink.info(prefix() + "stopped: " + status.eventsSent() + " events sent, " + status.eventsDropped()
          + " dropped" + (kept.isEmpty() ? "" : ", " + kept.size() + " kept for the appender that replaces this one"));
    }
    return kept;
  }

  public FailoverStatus status() {
    return sender.status();
  }

  public FailoverConfig config() {
    return config;
  }

  private synchronized void unregisterMBean() {
    if (mbean != null) {
      mbean.unregister();
      mbean = null;
    }
  }

  private String prefix() {
    return "[" + appenderName + "] ";
  }
}
