package dev.tcpautopsy.report.html;

import dev.tcpautopsy.report.ReportFixture;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens index.html in headless Chromium (Debian's chromium and chromium-driver, installed by
 * .ci/run) and checks what a reader relies on: no script error, the charts and the table are
 * there, page switching works, and the filters and sorting act on the table.
 */
class HtmlReportBrowserTest {
    @TempDir
    static Path tmp;
    static WebDriver driver;
    static Path report;

    @BeforeAll
    static void start() throws IOException {
        driver = Chromium.start(tmp, null);
        new HtmlRenderer().render(ReportFixture.report(), ReportTarget.directory(tmp));
        report = tmp.resolve(HtmlRenderer.FILE);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    private static void open(String hash) {
        driver.get(report.toUri() + hash);
        // a hash-only change does not reload: make each test start from a fresh load
        driver.navigate().refresh();
    }

    private static List<WebElement> visibleRows(WebElement section) {
        return section.findElements(By.cssSelector("table.flows tbody tr")).stream().filter(WebElement::isDisplayed).toList();
    }

    private static void assertNoScriptErrors() {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(severe.isEmpty(), "browser console errors: " + severe);
    }

    @Test
    void overviewShowsFirstWithItsChartAndCaptureList() {
        open("");
        WebElement overview = driver.findElement(By.id("overview"));
        assertTrue(overview.isDisplayed());
        assertFalse(driver.findElement(By.id("c0")).isDisplayed(), "one page at a time");
        assertEquals(3, overview.findElements(By.cssSelector("svg.chart-svg rect")).stream()
                .filter(r -> r.getAttribute("width") != null && !r.getAttribute("width").equals("10")).count(),
                "one bar segment per class of the fixture");
        assertEquals(2, overview.findElements(By.cssSelector("table.captures tbody tr")).size());
        assertNoScriptErrors();
    }

    @Test
    void capturePageHasChartsTableAndDetails() {
        open("#c0");
        WebElement c0 = driver.findElement(By.id("c0"));
        assertTrue(c0.isDisplayed());
        assertFalse(driver.findElement(By.id("overview")).isDisplayed());
        List<WebElement> charts = c0.findElements(By.cssSelector("svg.chart-svg"));
        assertEquals(2, charts.size(), "by class and who, and over time");
        for (WebElement chart : charts) {
            assertTrue(chart.getSize().getWidth() > 200 && chart.getSize().getHeight() > 40, "chart is drawn");
        }
        assertEquals(3, visibleRows(c0).size());
        assertEquals("3 of 3 shown", c0.findElement(By.cssSelector(".f-count")).getText());
        assertEquals(2, c0.findElements(By.cssSelector("article.flow-card")).size());
        assertEquals(3, c0.findElements(By.cssSelector("#c0-s7-f120 svg.ladder g.pkt")).size());
        assertNoScriptErrors();
    }

    @Test
    void filtersNarrowTheTable() {
        open("#c0");
        WebElement c0 = driver.findElement(By.id("c0"));
        new Select(c0.findElement(By.cssSelector(".f-class"))).selectByValue("REFUSED");
        List<WebElement> rows = visibleRows(c0);
        assertEquals(1, rows.size());
        assertEquals("9", rows.get(0).findElement(By.cssSelector("td")).getText());
        assertEquals("1 of 3 shown", c0.findElement(By.cssSelector(".f-count")).getText());

        new Select(c0.findElement(By.cssSelector(".f-class"))).selectByValue("");
        c0.findElement(By.cssSelector(".f-port")).sendKeys("8080");
        rows = visibleRows(c0);
        assertEquals(1, rows.size());
        assertEquals("7", rows.get(0).findElement(By.cssSelector("td")).getText());

        c0.findElement(By.cssSelector(".f-port")).clear();
        ((JavascriptExecutor) driver).executeScript(
                "arguments[0].dispatchEvent(new Event('input'))", c0.findElement(By.cssSelector(".f-port")));
        c0.findElement(By.cssSelector(".f-host")).sendKeys("2001:db8");
        assertEquals(1, visibleRows(c0).size());

        c0.findElement(By.cssSelector(".f-host")).clear();
        ((JavascriptExecutor) driver).executeScript(
                "arguments[0].dispatchEvent(new Event('input'))", c0.findElement(By.cssSelector(".f-host")));
        c0.findElement(By.cssSelector(".f-abnormal")).click();
        assertEquals(2, visibleRows(c0).size(), "the orderly close is hidden");
        assertNoScriptErrors();
    }

    @Test
    void aFindingsLinkShowsItsConnectionsUntilShowAll() {
        open("#c0");
        WebElement c0 = driver.findElement(By.id("c0"));
        c0.findElement(By.cssSelector(".findings a.f-streams")).click();
        List<WebElement> rows = visibleRows(c0);
        assertEquals(1, rows.size(), "the finding explains stream 7 alone");
        assertEquals("7", rows.get(0).findElement(By.cssSelector("td")).getText());
        WebElement note = c0.findElement(By.cssSelector(".flows-block .only"));
        assertTrue(note.isDisplayed());
        assertTrue(note.getText().contains("closes connections idle for 75.0 s"), note.getText());
        note.findElement(By.cssSelector(".only-clear")).click();
        assertEquals(3, visibleRows(c0).size());
        assertFalse(note.isDisplayed());
        assertNoScriptErrors();
    }

    @Test
    void theOverviewsFindingsLinkToTheirCaptures() {
        open("");
        WebElement overview = driver.findElement(By.id("overview"));
        overview.findElement(By.cssSelector(".findings .f-captures a")).click();
        assertTrue(driver.findElement(By.id("c0")).isDisplayed());
        assertFalse(overview.isDisplayed());
        assertNoScriptErrors();
    }

    @Test
    void headersSortTheTable() {
        open("#c0");
        WebElement c0 = driver.findElement(By.id("c0"));
        List<WebElement> headers = c0.findElements(By.cssSelector("table.flows thead th"));
        WebElement duration = headers.stream().filter(h -> h.getText().startsWith("Duration")).findFirst().orElseThrow();
        duration.click();   // ascending: 100 µs, 250 ms, 4.9 s
        assertEquals(List.of("9", "0", "7"), firstCells(c0));
        duration.click();   // descending
        assertEquals(List.of("7", "0", "9"), firstCells(c0));
        assertNoScriptErrors();
    }

    @Test
    void detailLinkOpensTheCapturePageAtTheCard() {
        open("#c0-s7-f120");
        assertTrue(driver.findElement(By.id("c0")).isDisplayed());
        assertTrue(driver.findElement(By.id("c0-s7-f120")).isDisplayed());
        assertNoScriptErrors();
    }

    /** The script puts the glossary's lines on every class chip and by cell: hovering explains the word. */
    @Test
    void chipsAndByCellsCarryTheGlossarysLine() {
        open("#c0");
        WebElement c0 = driver.findElement(By.id("c0"));
        dev.tcpautopsy.model.Glossary g = dev.tcpautopsy.model.Glossary.standard();
        List<WebElement> chips = c0.findElements(By.cssSelector("table.flows .chip"));
        assertFalse(chips.isEmpty());
        for (WebElement chip : chips) {
            assertTrue(chip.getAttribute("title").startsWith(g.shortText("class", chip.getText())), chip.getText());
        }
        for (WebElement by : c0.findElements(By.cssSelector("table.flows td.by"))) {
            assertEquals(g.shortText("by", by.getText()), by.getAttribute("title"));
        }
        assertNoScriptErrors();
    }

    private static List<String> firstCells(WebElement section) {
        return visibleRows(section).stream().map(r -> r.findElement(By.cssSelector("td")).getText()).toList();
    }
}
