package net.dnsoops.bench;

/**
 * Optional async-profiler around one scenario's measured window, for finding what stands in
 * the way of a target. Off unless {@code -Dbench.profile=<file>} is given and async-profiler's
 * jar is on the class path (it is not a project dependency): scripts/bench --profile sets both.
 */
final class Profiler {
    private static final String FILE = System.getProperty("bench.profile");

    private Profiler() {
    }

    static void start() {
        String event = System.getProperty("bench.profile.event", "cpu"); // or wall, alloc, lock
        run("start,event=" + event + (event.equals("alloc") ? "" : ",interval=1ms") + ",threads");
    }

    static void stop(String scenario) {
        run("stop,collapsed,file=" + FILE + "." + scenario + ".collapsed");
        if (FILE != null) System.out.println("profile written to " + FILE + "." + scenario + ".collapsed");
    }

    private static void run(String command) {
        if (FILE == null) return;
        try {
            Class<?> c = Class.forName("one.profiler.AsyncProfiler");
            Object p = c.getMethod("getInstance").invoke(null);
            c.getMethod("execute", String.class).invoke(p, command);
        } catch (ReflectiveOperationException e) {
            System.out.println("profiler unavailable: " + e);
        }
    }
}
