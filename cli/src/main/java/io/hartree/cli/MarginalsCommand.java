package io.hartree.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hartree.api.ParameterException;
import io.hartree.api.fragment.FragmentedMarginals;
import io.hartree.api.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hartree marginals}: the k-body marginal weights of the fragmented state (2.8)/(2.20),
 * of the phase-averaged product (2.9)/(2.21) and of the mixture (2.10), their ranks
 * (2.12)–(2.14), the trace distance (2.15), N × distance and its limit c_k (Proposition 2.3).
 */
@Command(name = "marginals", mixinStandardHelpOptions = true,
        description = "k-body marginals of the fragmented state |N1,...,Nl>, its phase-averaged product and the mixture: "
                + "coefficients (2.8)-(2.10), ranks (2.12)-(2.14), Tr|gamma - gamma~| (2.15), N x distance and its limit c_k.")
final class MarginalsCommand implements Callable<Integer> {
    @Option(names = "--particles", paramLabel = "N", description = "total particle number N (default: the sum of the occupations; if given it must equal it)")
    Long particles;

    @Option(names = "--occupations", required = true, split = ",", paramLabel = "N1,N2[,...]", description = "occupations N_j of the orthonormal levels phi_j")
    long[] occupations;

    @Option(names = "--k", required = true, paramLabel = "K", description = "order of the marginal, 1 <= K <= N")
    int k;

    @Option(names = "--json", description = "print one JSON object on standard output instead of the tables")
    boolean json;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write the per-basis-element table as CSV")
    Path csv;

    @Override
    public Integer call() throws Exception {
        long sum = 0;
        for (long o : occupations) sum += o;
        if (particles != null)
            ParameterException.require(particles == sum, "--particles", particles, "the sum of --occupations (" + sum + ")");
        FragmentedMarginals m = FragmentedMarginals.of(k, occupations);
        if (csv != null) AtomicFiles.writeString(csv, csv(m));
        if (json) {
            ObjectMapper mapper = Checkpoint.JSON;
            System.out.println(mapper.writeValueAsString(toJson(mapper, m)));
        } else {
            System.out.print(text(m));
        }
        return 0;
    }

    static ObjectNode toJson(ObjectMapper mapper, FragmentedMarginals m) {
        ObjectNode o = mapper.createObjectNode();
        o.put("particles", m.particles());
        ArrayNode occ = o.putArray("occupations");
        for (long x : m.occupations()) occ.add(x);
        ArrayNode fr = o.putArray("fractions");
        for (double x : m.fractions()) fr.add(x);
        o.put("k", m.k());
        o.put("basis_description", "occupation vectors a of Phi_a (a_j particles in phi_j), a_1 decreasing; for two levels index j = a_2");
        ArrayNode basis = o.putArray("basis");
        for (int i = 0; i < m.size(); i++) {
            ArrayNode a = basis.addArray();
            for (int x : m.occupationVector(i)) a.add(x);
        }
        put(o.putArray("coefficients"), m.fragmented());
        put(o.putArray("coefficients_limit"), m.phaseAveraged());
        put(o.putArray("coefficients_mixture"), m.mixture());
        put(o.putArray("coefficients_difference"), m.difference());
        ObjectNode ranks = o.putObject("ranks");
        ranks.put("fragmented", m.rankFragmented());
        ranks.put("phase_averaged", m.rankPhaseAveraged());
        ranks.put("mixture", m.rankMixture());
        o.put("trace_distance", m.traceDistance());
        o.put("n_times_distance", m.nTimesTraceDistance());
        o.put("limit_constant", m.limitConstant());
        o.put("trace_distance_to_mixture", m.traceDistanceToMixture());
        o.put("trace_distance_phase_averaged_to_mixture", m.traceDistancePhaseAveragedToMixture());
        return o;
    }

    private static void put(ArrayNode a, double[] v) {
        for (double x : v) a.add(x);
    }

    static String csv(FragmentedMarginals m) {
        StringBuilder sb = new StringBuilder("index");
        for (int j = 1; j <= m.levels(); j++) sb.append(",a_").append(j);
        sb.append(",c,c_tilde,rho,c_minus_c_tilde\n");
        double[] c = m.fragmented(), ct = m.phaseAveraged(), r = m.mixture(), d = m.difference();
        for (int i = 0; i < m.size(); i++) {
            sb.append(i);
            for (int x : m.occupationVector(i)) sb.append(',').append(x);
            sb.append(',').append(c[i]).append(',').append(ct[i]).append(',').append(r[i]).append(',').append(d[i]).append('\n');
        }
        return sb.toString();
    }

    static String text(FragmentedMarginals m) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "fragmented state: N = %d, occupations %s, k = %d%n", m.particles(),
                java.util.Arrays.toString(m.occupations()), m.k()));
        sb.append(String.format(Locale.ROOT, "%-18s %-24s %-24s %-24s %-24s%n", "a", "c_a (2.8)", "c~_a (2.9)", "rho_a (2.10)", "c_a - c~_a"));
        double[] c = m.fragmented(), ct = m.phaseAveraged(), r = m.mixture(), d = m.difference();
        int shown = Math.min(m.size(), 200);
        for (int i = 0; i < shown; i++)
            sb.append(String.format(Locale.ROOT, "%-18s %-24.17g %-24.17g %-24.17g %-24.17g%n",
                    java.util.Arrays.toString(m.occupationVector(i)), c[i], ct[i], r[i], d[i]));
        if (shown < m.size()) sb.append("... ").append(m.size() - shown).append(" more rows (use --csv)\n");
        sb.append(String.format(Locale.ROOT, "ranks: fragmented %d (2.12), phase-averaged %d (2.13), mixture %d (2.14)%n",
                m.rankFragmented(), m.rankPhaseAveraged(), m.rankMixture()));
        sb.append(String.format(Locale.ROOT, "Tr|gamma_N^(k) - gamma~_N^(k)| (2.15) = %.17g%n", m.traceDistance()));
        sb.append(String.format(Locale.ROOT, "N x distance                        = %.17g%n", m.nTimesTraceDistance()));
        sb.append(String.format(Locale.ROOT, "limit c_k (Prop. 2.3, Lemma 2.4)    = %.17g%n", m.limitConstant()));
        sb.append(String.format(Locale.ROOT, "Tr|gamma_N^(k) - rho_N^(k)|         = %.17g%n", m.traceDistanceToMixture()));
        sb.append(String.format(Locale.ROOT, "Tr|gamma~_N^(k) - rho_N^(k)|        = %.17g%n", m.traceDistancePhaseAveragedToMixture()));
        return sb.toString();
    }
}
