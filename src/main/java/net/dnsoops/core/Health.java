package net.dnsoops.core;

/** An actuator's or input's self-reported health. */
public record Health(Status status, String detail) {
    public enum Status { OK, DEGRADED, FAILED }

    public static Health ok(String detail) {
        return new Health(Status.OK, detail);
    }

    public static Health degraded(String detail) {
        return new Health(Status.DEGRADED, detail);
    }

    public static Health failed(String detail) {
        return new Health(Status.FAILED, detail);
    }
}
