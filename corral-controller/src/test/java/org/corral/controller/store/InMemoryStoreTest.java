package org.corral.controller.store;

/** The store contract for {@link InMemoryStore}, which keeps nothing across a reopen. */
class InMemoryStoreTest extends StoreContract {
  @Override
  protected Store openStore() {
    return new InMemoryStore();
  }

  @Override
  protected Store reopen(Store store) {
    return null;
  }
}
