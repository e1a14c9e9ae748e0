package org.corral.controller.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.VmSpec;

/**
 * Reads a {@link VmSpec} stored before the HA setting was one level: the numeric
 * {@code haPriority} of those rows becomes {@code ha} ({@link HaLevel#fromPriority}). A row that
 * has {@code ha} is read as it is.
 */
final class LegacyVmSpec extends DelegatingDeserializer {
  static final String OLD = "haPriority";

  LegacyVmSpec(JsonDeserializer<?> base) {
    super(base);
  }

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("corral-legacy-vmspec");
    m.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc, JsonDeserializer<?> d) {
        return desc.getBeanClass() == VmSpec.class ? new LegacyVmSpec(d) : d;
      }
    });
    return m;
  }

  @Override
  protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
    return new LegacyVmSpec(newDelegatee);
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode tree = ctxt.readTree(p);
    if (tree instanceof ObjectNode o && o.has(OLD)) {
      JsonNode old = o.remove(OLD);
      if (!o.hasNonNull("ha")) {
        o.put("ha", HaLevel.fromPriority(old.asInt(0)).name());
      }
    }
    try (JsonParser q = tree.traverse(p.getCodec())) {
      q.nextToken();
      return _delegatee.deserialize(q, ctxt);
    }
  }
}
