package dev.tcpautopsy.launch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The jar's entry point, compiled for Java 8 so that an older Java can still run it: it says in one
 * line which Java is needed instead of an {@code UnsupportedClassVersionError} about class file
 * versions, then hands over to the command line. The launchers in {@code bin/} and
 * {@code java -jar} both start here.
 */
public final class JavaVersionGate {
    /** The Java the rest of tcpautopsy is compiled for. */
    static final int NEEDED = 17;
    /** The exit status for a failure of tcpautopsy itself (the command line's 3). */
    static final int FAILURE = 3;

    private JavaVersionGate() {
    }

    public static void main(String[] args) throws Throwable {
        String refusal = refusal(System.getProperty("java.specification.version", ""), System.getProperty("java.home"),
                System.getProperty("java.version", "of an unknown version"));
        if (refusal != null) {
            System.err.println(refusal);
            System.exit(FAILURE);
        }
        Method main = Class.forName("dev.tcpautopsy.cli.TcpAutopsy").getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The one line that refuses a Java older than {@link #NEEDED}, or {@code null} to go on. */
    static String refusal(String specificationVersion, String home, String version) {
        if (major(specificationVersion) >= NEEDED) {
            return null;
        }
        return "tcpautopsy: needs Java " + NEEDED + " or newer, but " + home + " is Java " + version + "; set JAVA_HOME to a "
                + "Java " + NEEDED + " or newer installation (for example Debian's openjdk-17-jre-headless)";
    }

    /** 8 for "1.8", 17 for "17"; 0 when it cannot be read. */
    static int major(String spec) {
        String s = spec.startsWith("1.") ? spec.substring(2) : spec;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
    }
}
