package io.hartree.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a run: a bar with rate and ETA (on stderr) when stdout is a terminal, plain lines every ~10 %
 * otherwise (logs, pipes, CI).
 */
interface Progress extends AutoCloseable {
    /** Reports that {@code done} of the total steps are finished; {@code note} is a short status (t, E). */
    void update(long done, String note);

    @Override
    void close();

    static boolean stdoutIsTerminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    static Progress create(String task, long start, long total, PrintStream out) {
        return stdoutIsTerminal() ? new Bar(task, start, total) : new Lines(task, start, total, out);
    }

    final class Bar implements Progress {
        private final ProgressBar bar;

        Bar(String task, long start, long total) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).startsFrom(start, Duration.ZERO)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).showSpeed()
                    .setUpdateIntervalMillis(250).build();
        }

        public void update(long done, String note) {
            bar.stepTo(done);
            bar.setExtraMessage(" " + note);
        }

        public void close() { bar.close(); }
    }

    /** One line per tenth of the run, with elapsed time and an ETA from the rate so far. */
    final class Lines implements Progress {
        private final String task;
        private final long start, total;
        private final PrintStream out;
        private final long t0 = System.nanoTime();
        private int nextTenth;

        Lines(String task, long start, long total, PrintStream out) {
            this.task = task;
            this.start = start;
            this.total = total;
            this.out = out;
            this.nextTenth = (int) Math.floor(10.0 * start / Math.max(1, total)) + 1;
        }

        public void update(long done, String note) {
            int tenth = (int) Math.floor(10.0 * done / Math.max(1, total));
            if (tenth < nextTenth) return;
            nextTenth = tenth + 1;
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            double rate = (done - start) / Math.max(elapsed, 1e-9);
            double eta = (total - done) / Math.max(rate, 1e-12);
            out.printf(Locale.ROOT, "%s: %3d%%  step %d/%d  %s  elapsed %.1f s  ETA %.1f s%n",
                    task, 100 * done / Math.max(1, total), done, total, note, elapsed, eta);
            out.flush();
        }

        public void close() {}
    }
}
