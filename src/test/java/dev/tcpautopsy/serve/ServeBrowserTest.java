package dev.tcpautopsy.serve;

import dev.tcpautopsy.testing.Chromium;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upload page in headless Chromium (Debian's chromium and chromium-driver, installed by
 * .ci/run): upload a sample, wait for the verdict, open the report, download the bundle; and no
 * script or Content-Security-Policy error on the way.
 */
class ServeBrowserTest {
    @TempDir
    static Path tmp;
    static ServeHarness h;
    static WebDriver driver;
    static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        downloads = Files.createDirectories(tmp.resolve("downloads"));
        driver = Chromium.start(tmp, downloads);
        h = new ServeHarness(ServeHarness.settings(tmp.resolve("data")));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void uploadWaitOpenTheReportAndDownloadTheBundle() throws Exception {
        driver.get(h.http.base() + "/");
        Path sample = ServeHarness.SAMPLES.resolve("rst-unread-data-server.pcap").toAbsolutePath();
        driver.findElement(By.id("files")).sendKeys(sample.toString());
        driver.findElement(By.id("ticket")).sendKeys("INC-2044");
        driver.findElement(By.id("note")).sendKeys("checkout resets");
        WebElement send = driver.findElement(By.id("send"));
        assertTrue(send.isEnabled());
        send.click();

        // the list is redrawn every second or so: read the row inside the wait, as one snapshot
        String[] row = pageWait().until(d -> d.findElements(By.cssSelector("#analyses tbody tr"))
                .stream().filter(r -> "done".equals(r.getAttribute("data-state"))).findFirst()
                .map(r -> new String[] {r.getAttribute("data-id"), r.getText(),
                        r.findElement(By.cssSelector(".endings")).getText()}).orElse(null));
        String id = row[0];
        assertTrue(row[1].contains("rst-unread-data-server.pcap"), row[1]);
        assertTrue(row[1].contains("INC-2044"), row[1]);
        long flows = ServeApiTest.analyzeDirectly(sample).flows();
        assertTrue(row[2].startsWith(flows + " connections"), row[2]);
        assertNoConsoleErrors();

        // the verdict's page, then the report itself
        click(By.cssSelector("#analyses tr[data-id='" + id + "'] a.name"));
        pageWait().until(d -> d.findElement(By.id("state")).getText().equals("done"));
        assertTrue(driver.findElement(By.id("facts")).getText().contains("INC-2044"));
        assertNoConsoleErrors();
        driver.findElement(By.cssSelector("#links a.report")).click();
        pageWait().until(d -> d.getCurrentUrl().endsWith("/a/" + id + "/report.html"));
        assertTrue(driver.getPageSource().contains("rst-unread-data-server.pcap"));
        List<WebElement> rows = driver.findElements(By.cssSelector("table.flows tbody tr"));
        assertEquals(flows, rows.size(), "the report's table has every connection");
        assertNoConsoleErrors();  // the report's inline script runs under its policy

        // the bundle, downloaded as a person would
        driver.navigate().back();
        pageWait().until(d -> !d.findElements(By.cssSelector("#links a.bundle")).isEmpty());
        driver.findElement(By.cssSelector("#links a.bundle")).click();
        Path zip = downloads.resolve("tcpautopsy-" + id + ".zip");
        pageWait().until(d -> Files.exists(zip) && notPartial());
        Map<String, byte[]> bundle = ServeApiTest.unzip(Files.readAllBytes(zip));
        assertEquals(List.of("index.html", "flows.csv", "report.json", "summary.md"), List.copyOf(bundle.keySet()));
        assertArrayEquals(h.http.get("/a/" + id + "/report.json").body(), bundle.get("report.json"));
    }

    @Test
    void droppedFilesAreListedAndTheSearchNarrowsTheList() throws Exception {
        driver.get(h.http.base() + "/");
        String b64 = Base64.getEncoder().encodeToString(ServeHarness.sample("refused-no-listener.pcap"));
        ((JavascriptExecutor) driver).executeScript("""
                const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
                const dt = new DataTransfer();
                dt.items.add(new File([bytes], 'dropped-refused.pcap'));
                document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
                """, b64);
        assertTrue(driver.findElement(By.id("chosen")).getText().contains("dropped-refused.pcap"));
        driver.findElement(By.id("send")).click();
        pageWait().until(d -> d.findElements(By.cssSelector("#analyses tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("dropped-refused.pcap") && "done".equals(r.getAttribute("data-state"))));
        driver.findElement(By.id("q")).sendKeys("dropped-ref");
        pageWait().until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#analyses tbody tr"));
            return rows.size() == 1 && rows.get(0).getText().contains("dropped-refused.pcap");
        });
        assertNoConsoleErrors();
    }

    @Test
    void aPairIsUploadedFromThePageAndItsComparisonOpens() throws Exception {
        driver.get(h.http.base() + "/");
        Path pairs = ServeHarness.SAMPLES.resolve("pairs").toAbsolutePath();
        driver.findElement(By.cssSelector("#pair summary")).click();
        driver.findElement(By.id("pair-a")).sendKeys(pairs.resolve("nat-a.pcap").toString());
        assertTrue(!driver.findElement(By.id("send-pair")).isEnabled(), "both points are needed");
        driver.findElement(By.id("pair-b")).sendKeys(pairs.resolve("nat-b.pcap").toString());
        driver.findElement(By.id("ticket")).sendKeys("INC-PAIR");
        driver.findElement(By.id("send-pair")).click();

        String[] row = pageWait().until(d -> d.findElements(By.cssSelector("#analyses tbody tr"))
                .stream().filter(r -> "done".equals(r.getAttribute("data-state")) && r.getText().contains(" vs "))
                .findFirst().map(r -> new String[] {r.getAttribute("data-id"), r.getText(),
                        r.findElement(By.cssSelector(".endings")).getText()}).orElse(null));
        String id = row[0];
        assertTrue(row[1].contains("nat-a.pcap vs nat-b.pcap") && row[1].contains("INC-PAIR"), row[1]);
        String headline = h.http.get("/api/analyses/" + id).json().path("results").path("summary").asText();
        assertTrue(headline.contains("identical at both points"), headline);
        assertTrue(row[2].startsWith(headline), "the list shows the pair's headline: " + row[2]);
        assertNoConsoleErrors();

        click(By.cssSelector("#analyses tr[data-id='" + id + "'] a.name"));
        pageWait().until(d -> d.findElement(By.id("state")).getText().equals("done"));
        List<WebElement> captures = driver.findElements(By.cssSelector("#point-files a.capture"));
        assertEquals(List.of("nat-a.pcap", "nat-b.pcap"), captures.stream().map(WebElement::getText).toList());
        assertTrue(driver.findElement(By.id("facts")).getText().contains(headline));
        driver.findElement(By.cssSelector("#links a.report")).click();
        pageWait().until(d -> d.getCurrentUrl().endsWith("/a/" + id + "/compare.html"));
        assertTrue(driver.getPageSource().contains("nat-a.pcap"));
        assertNoConsoleErrors();  // the comparison's page runs under the report's policy
    }

    private static void click(By by) {
        pageWait().until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    private static boolean notPartial() {
        try (Stream<Path> s = Files.list(downloads)) {
            return s.noneMatch(p -> p.toString().endsWith(".crdownload"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * A wait for what the page shows next: it returns as soon as it is there, so its bound only has to
     * outlast a slow machine (the page redraws, the service analyzes, the browser downloads).
     */
    private static WebDriverWait pageWait() {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(60));
        w.pollingEvery(Duration.ofMillis(100));
        w.ignoring(StaleElementReferenceException.class);  // the list is redrawn while it is polled
        return w;
    }

    private static void assertNoConsoleErrors() {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(severe.isEmpty(), "browser console errors: " + severe);
    }
}
