package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.LibvirtException;

/** Native connections lent to one thread at a time, opened on demand up to a bound. */
class NativeLanesTest {
  private final List<NativeConnect> opened = new ArrayList<>();

  @BeforeEach
  void libvirt() {
    TestHosts.requireLibvirt();
  }

  @AfterEach
  void closeAll() throws LibvirtException {
    for (NativeConnect c : opened) {
      c.close();
    }
  }

  private NativeConnect open() throws LibvirtException {
    NativeConnect c = new NativeConnect("test:///default");
    opened.add(c);
    return c;
  }

  @Test
  void eachBorrowerGetsAConnectionOfItsOwnAndTheBoundMakesTheNextOneWait() throws Exception {
    NativeLanes lanes = new NativeLanes(open(), true, 2, this::open);

    NativeConnect first = lanes.borrow();
    NativeConnect second = lanes.borrow();
    assertThat(second).isNotSameAs(first);
    assertThat(lanes.opened()).isEqualTo(2);
    assertThat(lanes.tryBorrow()).as("none free").isNull();

    CompletableFuture<NativeConnect> third = CompletableFuture.supplyAsync(() -> {
      try {
        return lanes.borrow();
      } catch (LibvirtException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(third).isNotDone();
    lanes.release(first);
    await("the waiting borrower gets the one given back").atMost(Duration.ofSeconds(10)).until(third::isDone);
    assertThat(third.join()).isSameAs(first);
    assertThat(lanes.opened()).as("no more than the bound").isEqualTo(2);
  }

  /** A migration holds the only connection open; its progress must still be read (beside it). */
  @Test
  void tryBorrowOpensAnotherWhenAllAreLentBelowTheBound() throws Exception {
    NativeConnect primary = open();
    NativeLanes lanes = new NativeLanes(primary, true, 4, this::open);

    NativeConnect migrating = lanes.borrow();
    NativeConnect beside = lanes.tryBorrow();

    assertThat(migrating).isSameAs(primary);
    assertThat(beside).isNotNull().isNotSameAs(primary);
    assertThat(lanes.opened()).isEqualTo(2);
  }

  @Test
  void aConnectionGivenBackIsLentAgainBeforeAnotherIsOpened() throws Exception {
    NativeLanes lanes = new NativeLanes(open(), true, 4, this::open);

    NativeConnect c = lanes.borrow();
    lanes.release(c);

    assertThat(lanes.borrow()).isSameAs(c);
    assertThat(lanes.opened()).isEqualTo(1);
  }

  @Test
  void inProcessConnectionsAreSharedAndNeverMultiplied() throws Exception {
    NativeConnect primary = open();
    NativeLanes lanes = new NativeLanes(primary, false, 4, this::open);

    assertThat(lanes.borrow()).isSameAs(primary);
    assertThat(lanes.borrow()).isSameAs(primary);
    assertThat(lanes.tryBorrow()).isSameAs(primary);
    assertThat(lanes.opened()).isEqualTo(1);
  }

  @Test
  void aClosedSetLendsNothingAndListsEveryConnectionForClosing() throws Exception {
    NativeConnect primary = open();
    NativeLanes lanes = new NativeLanes(primary, true, 4, this::open);
    NativeConnect first = lanes.borrow();
    NativeConnect second = lanes.borrow();
    lanes.release(first);
    lanes.release(second);

    assertThat(first).as("the primary is lent first").isSameAs(primary);
    assertThat(lanes.close()).containsExactly(primary, second);
    assertThat(lanes.tryBorrow()).isNull();
    assertThatThrownBy(lanes::borrow).isInstanceOf(IllegalStateException.class);
  }
}
