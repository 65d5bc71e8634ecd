package dev.tcpautopsy.serve;

import dev.tcpautopsy.model.Units;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;
import org.eclipse.jetty.ee10.servlet.ServletMultiPartFormData;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A multipart upload, parsed by Jetty from the intake's guarded body stream rather than from the
 * connection itself (what {@code getParts()} would read): the upload limit and the free-space
 * floor then hold while Jetty spools the parts to tmp/, and a disk that fills up is a 507.
 */
final class MultipartUpload {
    /** The attribute Jetty reads the multipart limits from. */
    private static final String CONFIG = "org.eclipse.jetty.multipartConfig";
    /** Parts up to this size stay in memory; the rest are spooled to tmp/. */
    private static final int IN_MEMORY = 64 << 10;
    /** Form fields (note, ticket) are clipped far below this anyway. */
    private static final int MAX_FIELD = 8 << 10;
    private static final Pattern HEADERS_TOO_LONG = Pattern.compile("(?i)headers max length exceeded: (\\d+)");

    /** The file parts, and the text fields by name. */
    record Parsed(List<Part> files, Map<String, String> fields) {
    }

    private MultipartUpload() {
    }

    static Parsed read(Context ctx, Intake intake, DataDir dir, ServeSettings settings) throws IOException {
        HttpServletRequest req = ctx.req();
        long max = settings.maxUploadBytes();
        req.setAttribute(CONFIG, new MultipartConfigElement(dir.tmp().toString(), max, max, IN_MEMORY));
        InputStream body = intake.guard(req.getInputStream());
        HttpServletRequest guarded = new HttpServletRequestWrapper(req) {
            @Override
            public ServletInputStream getInputStream() {
                return new Guarded(body);
            }
        };
        List<Part> parts;
        try {
            parts = new ArrayList<>(ServletMultiPartFormData.from(guarded, req.getContentType()).get().getParts());
        } catch (ExecutionException e) {
            throw failure(e.getCause(), intake, dir, settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the upload");
        }
        List<Part> files = new ArrayList<>();
        Map<String, String> fields = new HashMap<>();
        for (Part p : parts) {
            if (p.getSubmittedFileName() != null) {
                files.add(p);
            } else {
                try (InputStream in = p.getInputStream()) {
                    fields.put(p.getName(), new String(in.readNBytes(MAX_FIELD), StandardCharsets.UTF_8));
                }
            }
        }
        return new Parsed(files, fields);
    }

    /** What a failed parse is answered with: the refusal it stands for, or a 400 that says what was wrong. */
    private static IOException failure(Throwable e, Intake intake, DataDir dir, ServeSettings settings) {
        Intake.Refused full = Intake.diskFull(e);
        if (full != null) {
            return full;
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                throw new ApiError(503, "busy", "the service is short of memory to read the upload: try again "
                        + "when fewer uploads are running");
            }
        }
        String m = String.valueOf(Database.rootMessage(e));
        Matcher headers = HEADERS_TOO_LONG.matcher(m);
        if (headers.find()) {
            throw new ApiError(400, "bad_upload", "cannot read the multipart upload: the headers of a part (its file "
                    + "name, say) are longer than " + Units.size(Long.parseLong(headers.group(1))));
        }
        // Jetty says "max length exceeded: N" (or "max file size exceeded") when a part passes the limit
        if (m.matches("(?is).*max (file size|length) exceeded.*")) {
            return intake.tooLarge(-1);
        }
        if (m.matches("(?is).*too many keys.*")) {
            throw new ApiError(413, "too_many_files", "too many parts in one upload: the limit is "
                    + settings.maxFiles() + " files (--max-files)");
        }
        throw new ApiError(400, "bad_upload", "cannot read the multipart upload: " + dir.relative(m));
    }

    /** The guarded body as a servlet stream, read blocking (Jetty's parser reads it as an InputStream). */
    private static final class Guarded extends ServletInputStream {
        private final InputStream in;
        private boolean finished;

        Guarded(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            finished = b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            finished = n < 0;
            return n;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("the upload is read blocking");
        }
    }

    /** Moves (or writes) one file part to {@code tmp}; a disk that fills up meanwhile is a refusal. */
    static void store(Part p, Path tmp) throws IOException {
        try {
            p.write(tmp.toString());  // Jetty moves its spooled file: no second copy of a big capture
            Private.make(tmp);
        } catch (IOException e) {
            java.nio.file.Files.deleteIfExists(tmp);
            Intake.Refused full = Intake.diskFull(e);
            throw full != null ? full : e;
        }
    }
}
