package io.dln.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU a JVM's JIT compiler threads have used, from Linux's per-thread accounting ({@code /proc/<pid>/task/<tid>/stat}).
 * A long training run pays compilation once; a benchmark of a few steps pays it in every figure, so the benchmark
 * shows it apart. Zero where {@code /proc} is absent.
 */
public final class CompilerCpu {

    /** /proc reports thread times in USER_HZ ticks, which Linux fixes at 100 a second for user space. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CompilerCpu() {
    }

    public static Duration of(long pid) {
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (!Files.isDirectory(tasks)) return Duration.ZERO;
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) ticks += compilerTicks(thread.resolve("stat"));
        } catch (IOException e) {
            return Duration.ZERO; // the process ended
        }
        return Duration.ofNanos(ticks * NANOS_PER_TICK);
    }

    /** utime + stime of a compiler thread ("C1 CompilerThre", "C2 CompilerThre"), else 0. */
    private static long compilerTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException e) {
            return 0; // the thread ended
        }
        int open = line.indexOf('('), close = line.lastIndexOf(')');
        if (open < 0 || close < open) return 0;
        String name = line.substring(open + 1, close);
        if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) return 0;
        // fields after the name: state (3), ..., utime (14), stime (15); index 0 below is field 3
        String[] fields = line.substring(close + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
