package org.corral.controller.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.corral.model.plan.Action;

/**
 * Turns model records into the JSON text kept in the JDBC store's rows and back. Thread-safe.
 * A row that cannot be read names its table and key: it was written by a newer Corral or edited
 * by hand, and no retry will help.
 */
final class RecordJson {
  private final ObjectMapper mapper = Json.mapper();
  private final ObjectWriter actionWriter = mapper.writerFor(Action.class);
  private final ObjectReader actionReader = mapper.readerFor(Action.class);

  String write(Object record) {
    try {
      return record instanceof Action a ? actionWriter.writeValueAsString(a) : mapper.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      // Model records always serialize; failing here is a bug in Corral, not in the data.
      throw new IllegalStateException("cannot serialize " + record.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  <T> T read(String json, Class<T> type, String table, String key) {
    try {
      return type == Action.class ? type.cast(actionReader.readValue(json)) : mapper.readValue(json, type);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new StoreException("row '" + key + "' of table " + table + " cannot be read as " + type.getSimpleName()
          + " (" + e.getMessage() + "); it was written by a newer Corral or edited by hand: restore it from a backup"
          + " or delete the row", e);
    }
  }
}
