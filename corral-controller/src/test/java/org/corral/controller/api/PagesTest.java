package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/** {@link Pages}: cursors, short pages under a rare filter, and the end of the map. */
class PagesTest {
  static final TreePMap<String, Integer> MAP;

  static {
    TreePMap<String, Integer> m = TreePMap.empty();
    for (int i = 0; i < 1000; i++) {
      m = m.plus(String.format("v%04d", i), i);
    }
    MAP = m;
  }

  @Test
  void pagesCoverEveryEntryOnceAndTheLastHasNoCursor() {
    List<Integer> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      Pages.Page<Integer> p = Pages.of(MAP, after, 300, x -> true);
      seen.addAll(p.items());
      after = p.next();
      pages++;
    } while (after != null);
    assertThat(pages).isEqualTo(4);
    assertThat(seen).hasSize(1000).isSorted().doesNotHaveDuplicates();
    assertThat(Pages.of(MAP, null, 1000, x -> true).next()).as("exactly the rest: no empty extra page").isNull();
    assertThat(Pages.of(MAP, "v0999", 10, x -> true).items()).isEmpty();
    assertThat(Pages.of(MAP, "zzz", 10, x -> true).next()).isNull();
  }

  @Test
  void aRareFilterAnswersShortPagesWithACursorWithinTheScanBudget() {
    // Only multiples of 250 match; a budget of 100 entries per page.
    Pages.Page<Integer> p = Pages.of(MAP, null, 10, x -> x % 250 == 0, 100);
    assertThat(p.items()).containsExactly(0);
    assertThat(p.next()).isEqualTo("v0099");
    List<Integer> seen = new ArrayList<>(p.items());
    String after = p.next();
    int pages = 1;
    while (after != null) {
      p = Pages.of(MAP, after, 10, x -> x % 250 == 0, 100);
      seen.addAll(p.items());
      after = p.next();
      pages++;
    }
    assertThat(seen).containsExactly(0, 250, 500, 750);
    assertThat(pages).isEqualTo(10);
  }

  @Test
  void namesAreLookedUpAndVanishedOnesSkipped() {
    TreePSet<String> names = TreePSet.from(List.of("a", "b", "c", "d"));
    Pages.Page<Integer> p = Pages.ofNames(names, Map.of("a", (int) 'a', "c", (int) 'c', "d", (int) 'd'), "a", 2, x -> true);
    assertThat(p.items()).containsExactly((int) 'c', (int) 'd');
    assertThat(p.next()).isNull();
  }
}
