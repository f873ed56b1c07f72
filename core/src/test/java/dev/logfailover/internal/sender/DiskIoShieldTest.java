package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F17: an abort's interrupt never lands in the sender's disk I/O, where a FileChannel would close
 * itself and take the spill's writes with it; it is delivered as the sender leaves.
 */
class DiskIoShieldTest {
  @TempDir Path directory;

  @Test
  void F17b_anInterruptAskedForDuringDiskIoWaitsUntilItEndsAndIsThenDelivered() throws Exception {
    DiskIoShield shield = new DiskIoShield();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch interruptAsked = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread sender = new Thread(() -> {
      try (FileChannel channel = FileChannel.open(directory.resolve("segment"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        shield.run(() -> {
          inside.countDown();
          awaitQuietly(interruptAsked);
          return channel.write(ByteBuffer.wrap(new byte[4096])); // An interrupt here would close the channel.
        });
        interruptedAfter.set(Thread.currentThread().isInterrupted());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "sender");
    sender.start();
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    shield.interrupt(sender);
    interruptAsked.countDown();
    sender.join(10_000);
    assertThat(failure.get()).as("the write went through").isNull();
    assertThat(interruptedAfter).as("and the interrupt came after it").isTrue();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new AssertionError("the shield let an interrupt through", e);
    }
  }

  @Test
  void F17b_anInterruptPendingAsDiskIoBeginsIsHeldBackAndRestored() throws Exception {
    DiskIoShield shield = new DiskIoShield();
    Thread.currentThread().interrupt();
    try (FileChannel channel = FileChannel.open(directory.resolve("segment"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      int written = shield.run(() -> channel.write(ByteBuffer.wrap(new byte[16])));
      assertThat(written).isEqualTo(16);
      assertThat(Thread.interrupted()).as("restored, and cleared here").isTrue();
    }
  }
}
