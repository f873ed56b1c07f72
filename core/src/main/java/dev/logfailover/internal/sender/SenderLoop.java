package dev.logfailover.internal.sender;

import dev.logfailover.FailoverListener;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.spill.SpillStore;
import dev.logfailover.internal.transport.Outbox;
import dev.logfailover.internal.transport.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * The body of the sender thread. It only sequences: the {@link Connector} gets a session (and
 * brings the primary back, F6e), the session sends the outbox and says what is sent, an idle
 * session sleeps until there is work or the server does something, and the {@link SenderControl}'s
 * signals end the loop (F10, hand-off).
 *
 * <p>Threading: everything here runs on the sender thread, which alone owns the session and the
 * outbox. Other threads reach it only through the control, the hand-over slot and the queue, and
 * wake it through the {@link Doorbell}; {@link #carryOver} is called before it starts.
 */
final class SenderLoop implements Runnable {
  /** After an unexpected error, the pause before the next step: no hot loop on a bug. */
  private static final long RECOVERY_PAUSE_NANOS = 100_000_000;

  private final RecordQueue queue;
  /** Records handed over by a predecessor (reconfiguration); sent before the queue. */
  private final BlockingQueue<byte[]> carryOver = new LinkedBlockingQueue<>();
  private final Outbox outbox;
  private final Connector connector;
  private final SenderControl control;
  private final Doorbell doorbell;
  private final DropCounter drops;
  private final FailoverListener listener;
  private Session session;
  /** The durable spill (F17) when configured and usable: the source of records instead of the queue. */
  private Spill spill;
  /** Unexpected errors met while the current batch was in hand; reset when a batch is sent. */
  private int unexpectedErrorsOnThisBatch;
  /** Made once: an idle sender asks it at every sleep, which should allocate nothing. */
  private final BooleanSupplier noWork = this::hasNoWork;
  /** The predecessor's records as a source; made once. */
  private final Outbox.RecordSource carriedOver = (into, maxRecords) -> {
    int taken = 0;
    byte[] record;
    while (taken < maxRecords && (record = carryOver.poll()) != null) {
      into.add(record, 0, record.length);
      taken++;
    }
    return taken;
  };

  SenderLoop(RecordQueue queue, Outbox outbox, Connector connector, SenderControl control,
      Doorbell doorbell, DropCounter drops, FailoverListener listener) {
    this.queue = queue;
    this.outbox = outbox;
    this.connector = connector;
    this.control = control;
    this.doorbell = doorbell;
    this.drops = drops;
    this.listener = listener;
  }

  /** Before start: records of a predecessor, to be sent before anything queued here. */
  void carryOver(List<byte[]> records) {
    carryOver.addAll(records);
  }

  /** Before start: the spill takes over the predecessor's records; returns them, oldest first. */
  List<byte[]> takeCarryOver() {
    List<byte[]> taken = new ArrayList<>(carryOver);
    carryOver.clear();
    return taken;
  }

  /** Before start: records come through {@code spill} (which owns the queue's head) from now on. */
  void useSpill(Spill spill) {
    this.spill = spill;
  }

  @Override
  public void run() {
    control.senderStarted();
    try {
      while (!control.isAborted() && !control.isHandingOff() && !(control.isStopping() && isFlushDone())) {
        try {
          step();
        } catch (RuntimeException e) {
          recoverFrom(e);
        }
      }
    } catch (IOException e) {
      listener.senderFailed(e);
      throw new UncheckedIOException("the sender's selector failed", e);
    } catch (Error e) {
      listener.senderFailed(e);
      throw e;
    } finally {
      try {
        end();
      } finally {
        Runnable last = control.senderEnded(); // Even after a listener of the user's threw in end().
        if (last != null) {
          last.run();
        }
      }
    }
  }

  private void step() throws IOException {
    drops.report(listener);
    session = connector.adoptHandedOverPrimary(session);
    if (session == null) {
      session = connector.connect();
      if (session == null && spill != null) {
        spill.spillWhileDisconnected();
      }
    } else if (outbox.isEmpty() && fillOutbox() == 0) {
      idle();
    } else {
      send();
    }
  }

  /**
   * Something threw that no rule covers (a bug, in a transport or ours): report it, drop the
   * session as if it failed, and go on after a short pause. The batch in hand goes again; if the
   * same batch meets an unexpected error twice, it is dropped and counted rather than retried
   * for ever.
   */
  private void recoverFrom(RuntimeException error) throws IOException {
    listener.senderFailed(error);
    if (session != null) {
      sessionFailed(new IOException("unexpected error: " + error, error));
    }
    if (!outbox.isEmpty() && ++unexpectedErrorsOnThisBatch >= 2) {
      int given = outbox.takeUnreleased().size();
      leftTheOutbox(given);
      drops.dropUnsendable(given, listener);
      unexpectedErrorsOnThisBatch = 0;
    }
    long resumeAt = doorbell.ticker().nanoTime() + RECOVERY_PAUSE_NANOS;
    doorbell.sleep(null, 0, resumeAt, () -> !control.isSignalled());
  }

  private int fillOutbox() {
    return outbox.fill(!carryOver.isEmpty() ? carriedOver : spill != null ? spill : queue);
  }

  private boolean isBacklogEmpty() {
    return carryOver.isEmpty() && (spill != null ? spill.isEmpty() : queue.isEmpty());
  }

  private boolean hasNoWork() {
    return isBacklogEmpty() && !connector.isHandOverWaiting() && !control.isSignalled() && !drops.hasUnreported();
  }

  /** Stopping ends once everything queued (and spilled) is sent, or the shutdown budget is spent. */
  private boolean isFlushDone() {
    return (outbox.isEmpty() && isBacklogEmpty()) || doorbell.ticker().nanoTime() - control.stopDeadlineNanos() >= 0;
  }

  /** The oldest {@code count} records of the batch left it: a spill confirms the ones it gave. */
  private void leftTheOutbox(int count) {
    if (spill != null && count > 0) {
      spill.released(count);
    }
  }

  private void idle() {
    try {
      session.idle(doorbell, noWork);
    } catch (IOException e) {
      sessionFailed(e);
    }
  }

  private void send() {
    try {
      session.send(outbox);
      unexpectedErrorsOnThisBatch = 0;
    } catch (IOException e) {
      sessionFailed(e);
    } finally {
      int released = outbox.takeReleasedCount();
      if (released > 0) {
        listener.eventsSent(released);
      }
      int writtenAgain = outbox.takeWrittenAgainCount();
      if (writtenAgain > 0) {
        listener.eventsResent(writtenAgain);
      }
      for (Outbox.Rejection rejection : outbox.takeRejections()) {
        drops.reject(rejection.count(), rejection.reason(), listener);
        released += rejection.count();
      }
      leftTheOutbox(released);
    }
  }

  private void sessionFailed(IOException cause) {
    Session failed = session;
    session = null;
    failed.close();
    int resent = outbox.rewind();
    if (resent > 0) {
      listener.eventsResent(resent);
    }
    if (control.isHandingOff()) {
      return; // The hand-off ended the session, not the server: nothing to report, no probes.
    }
    connector.connectionLost(failed.server(), cause);
  }

  /** Closes everything, then leaves the undelivered records to a successor or counts them as dropped. */
  private void end() {
    if (session != null) {
      session.close();
      session = null;
    }
    connector.close();
    doorbell.close();
    // Oldest first: the batch in hand, then what a predecessor handed over, then the queue.
    List<byte[]> undelivered = outbox.takeUnreleased();
    if (spill != null) {
      // Kept on disk for the next start, in order; only what does not fit is lost.
      SpillStore.Closing closing = spill.close(undelivered);
      drops.dropNotSpilled(closing.notKept(), closing.failure() == null ? "the spill was full at stop (maxSpillSize)"
          : "the spill could not be written at stop: " + closing.failure());
      undelivered.clear();
    }
    carryOver.drainTo(undelivered);
    queue.drainTo(undelivered, Integer.MAX_VALUE);
    drops.report(listener);
    if (!control.leavesUndelivered() || !control.leaveForSuccessor(undelivered)) {
      drops.dropUndelivered(undelivered.size(), control.whyUndelivered(), listener);
    }
  }
}
