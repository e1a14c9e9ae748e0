package org.corral.controller.store;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.corral.model.plan.Action;

/**
 * The one Jackson configuration for Corral's model records, shared by the store and the REST API.
 *
 * <ul>
 *   <li>records (de)serialize through their components; the model carries no annotations;
 *   <li>{@link java.time.Instant}s are ISO-8601 strings ({@code "2026-01-01T00:00:00Z"}), exact to
 *       the nanosecond;
 *   <li>an {@link Action} carries its kind in a {@value #ACTION_KIND} property whose value is the
 *       record's simple name ({@code {"kind":"DeployVm","key":...}}); every permitted subtype of
 *       the sealed interface is registered, so a new kind of action needs no change here;
 *   <li>unknown properties are ignored (the store must read rows written by a newer version). An
 *       API that wants strict input enables {@link DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES}
 *       on its own copy;
 *   <li>a VM spec stored with the former numeric {@code haPriority} is read with its HA level
 *       ({@link LegacyVmSpec}).
 * </ul>
 */
public final class Json {
  /** Name of the discriminator property of a serialized {@link Action}. */
  public static final String ACTION_KIND = "kind";

  private Json() {}

  /**
   * A new, fully configured mapper. Each call returns a fresh instance, so a caller may change its
   * own copy's settings without affecting anyone else; build it once and keep it (it is
   * thread-safe once configured, and costly to create).
   */
  public static ObjectMapper mapper() {
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .addMixIn(Action.class, ActionKindMixin.class)
        .addModule(LegacyVmSpec.module())
        .build();
    for (Class<?> kind : Action.class.getPermittedSubclasses()) {
      mapper.registerSubtypes(new NamedType(kind, kind.getSimpleName()));
    }
    return mapper;
  }

  /** Adds the type discriminator to {@link Action} without annotating the model. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = ACTION_KIND)
  private interface ActionKindMixin {}
}
