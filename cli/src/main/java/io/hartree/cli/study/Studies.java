package io.hartree.cli.study;

import java.util.List;

/** The registry of studies, in the order they are listed. Only built studies are registered. */
public final class Studies {
    private Studies() {}

    public static List<Study> all() {
        return List.of(new MarginalsStudy(), new CounterexamplesStudy(), new MeanFieldStudy(), new FragmentedStudy(), new RankGrowthStudy(), new HartreeGapStudy());
    }

    public static Study byName(String name) {
        for (Study s : all()) if (s.name().equals(name)) return s;
        return null;
    }
}
