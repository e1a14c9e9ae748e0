package org.corral.controller.store;

import java.nio.file.Path;
import org.corral.model.vm.Vm;

/**
 * Child process for {@link H2CrashTest}: writes batches to the H2 store in {@code args[0]} and
 * prints {@code committed N} after each {@link Store#write} returns, until it is killed.
 */
public final class H2CrashWriter {
  /** A bound, so that a child whose parent died does not write forever. */
  private static final int MAX_BATCHES = 100_000;

  private H2CrashWriter() {}

  public static void main(String[] args) {
    Store store = JdbcStore.h2File(Path.of(args[0]));
    System.out.println("open");
    System.out.flush();
    for (int i = 1; i <= MAX_BATCHES; i++) {
      Vm vm = Samples.bareVm("vm-" + i);
      store.write(new Changes().put(vm).append(Samples.entry(vm.name(), "batch " + i)));
      System.out.println("committed " + i);
      System.out.flush();
    }
  }
}
