package dev.tcpautopsy.cli;

import dev.tcpautopsy.decode.Addresses;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * {@code --host}: an IPv4 or IPv6 address, written the way reports write it (RFC 5952 for IPv6)
 * so that {@code 2001:DB8:0:0::1} matches {@code 2001:db8::1}. Names are refused rather than
 * looked up: an offline tool has no business resolving them.
 */
public final class HostConverter implements ITypeConverter<String> {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    @Override
    public String convert(String value) {
        String v = value.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        // only literals reach InetAddress, so it never does a DNS query
        boolean v4 = V4.matcher(v).matches();
        if (v4) {
            for (String octet : v.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw invalid(value);
                }
            }
        } else if (!V6.matcher(v).matches()) {
            throw invalid(value);
        }
        try {
            InetAddress a = InetAddress.getByName(v);
            if (a instanceof Inet4Address) {
                return a.getHostAddress();
            }
            ByteBuffer b = ByteBuffer.wrap(a.getAddress());
            return Addresses.format(b.getLong(), b.getLong());
        } catch (UnknownHostException e) {
            throw invalid(value);
        }
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("'" + value + "' is not an IP address (expected e.g. 198.18.0.2 or 2001:db8::1)");
    }
}
