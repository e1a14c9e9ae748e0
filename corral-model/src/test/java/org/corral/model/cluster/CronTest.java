package org.corral.model.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Five-field cron in UTC: lists, ranges, steps, Sunday as 0 or 7, day-of-month OR day-of-week when both are restricted. */
class CronTest {
  @ParameterizedTest(name = "{0} at {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "* * * * *          | 2026-12-07T10:11:59Z | true",
      "0 8 * * 1-5        | 2026-12-07T08:00:30Z | true",
      "0 8 * * 1-5        | 2026-12-06T08:00:00Z | false",
      "0 8 * * 0          | 2026-12-06T08:00:00Z | true",
      "0 8 * * 7          | 2026-12-06T08:00:00Z | true",
      "*/15 8-18 * * *    | 2026-12-07T18:45:00Z | true",
      "*/15 8-18 * * *    | 2026-12-07T18:46:00Z | false",
      "*/15 8-18 * * *    | 2026-12-07T19:00:00Z | false",
      "5,35 * * * *       | 2026-12-07T03:35:00Z | true",
      "10-20/5 * * * *    | 2026-12-07T03:15:00Z | true",
      "10-20/5 * * * *    | 2026-12-07T03:16:00Z | false",
      "0 0 1 * 1          | 2026-12-01T00:00:00Z | true",
      "0 0 1 * 1          | 2026-12-07T00:00:00Z | true",
      "0 0 1 * 1          | 2026-12-08T00:00:00Z | false",
      "0 0 1 1 *          | 2026-12-01T00:00:00Z | false"})
  void matches(String cron, String at, boolean expected) {
    // 2026-12-07 is a Monday, 2026-12-06 a Sunday, 2026-12-01 a Tuesday.
    assertThat(Cron.parse("cron", cron.trim()).matches(Instant.parse(at.trim()))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 8 * *       | has 4 fields",
      "60 * * * *    | bad minute field",
      "* 24 * * *    | bad hour field",
      "* * 0 * *     | bad day of month field",
      "* * * 13 *    | bad month field",
      "* * * * 8     | bad day of week field",
      "*/0 * * * *   | at least 1",
      "5-1 * * * *   | low to high",
      "a * * * *     | 'a' is not a number"})
  void mistakesNameTheFieldAndPart(String cron, String problem) {
    assertThatThrownBy(() -> Cron.parse("schedule[0].cron", cron.trim()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("schedule[0].cron"))
        .hasMessageContaining(problem.trim());
  }
}
