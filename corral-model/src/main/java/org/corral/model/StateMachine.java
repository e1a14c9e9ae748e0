package org.corral.model;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The allowed transitions of one kind of object. Host and VM state machines are declared with
 * this class in {@link org.corral.model.host.HostState} and {@link org.corral.model.vm.VmState};
 * every state change in Corral goes through {@link #check}.
 */
public final class StateMachine<S extends Enum<S>> {
  private final String kind;
  private final Map<S, Set<S>> allowed;

  private StateMachine(String kind, Map<S, Set<S>> allowed) {
    this.kind = kind;
    this.allowed = allowed;
  }

  public static <S extends Enum<S>> Builder<S> builder(String kind, Class<S> type) {
    return new Builder<>(kind, type);
  }

  public boolean allows(S from, S to) {
    return from == to || next(from).contains(to);
  }

  /** Throws {@link IllegalTransitionException} unless {@code from -> to} is allowed. */
  public S check(String name, S from, S to) {
    if (!allows(from, to)) {
      throw new IllegalTransitionException(kind, name, from, to);
    }
    return to;
  }

  /** States reachable in one step from {@code from}, excluding itself. */
  public Set<S> next(S from) {
    return Objects.requireNonNull(allowed.get(from), "every state has an entry");
  }

  public static final class Builder<S extends Enum<S>> {
    private final String kind;
    private final Class<S> type;
    private final Map<S, Set<S>> allowed;

    private Builder(String kind, Class<S> type) {
      this.kind = kind;
      this.type = type;
      this.allowed = new EnumMap<>(type);
      for (S s : type.getEnumConstants()) {
        allowed.put(s, EnumSet.noneOf(type));
      }
    }

    @SafeVarargs
    public final Builder<S> from(S from, S... to) {
      Objects.requireNonNull(allowed.get(from)).addAll(Set.of(to));
      return this;
    }

    /** Allows {@code to} from every state except those listed. */
    @SafeVarargs
    public final Builder<S> fromAllBut(S to, S... except) {
      Set<S> ex = EnumSet.noneOf(type);
      ex.addAll(Set.of(except));
      for (S s : type.getEnumConstants()) {
        if (s != to && !ex.contains(s)) {
          Objects.requireNonNull(allowed.get(s)).add(to);
        }
      }
      return this;
    }

    public StateMachine<S> build() {
      Map<S, Set<S>> frozen = new EnumMap<>(type);
      allowed.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
      return new StateMachine<>(kind, frozen);
    }
  }
}
