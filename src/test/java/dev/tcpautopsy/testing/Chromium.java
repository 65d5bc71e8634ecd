package dev.tcpautopsy.testing;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;

import static dev.tcpautopsy.testing.Needs.need;

/**
 * Headless Chromium for browser tests: Debian's chromium and chromium-driver (installed by
 * .ci/run), with the flags that keep it off the network and a fresh profile, and the browser
 * console captured so tests can assert there was no script error.
 */
public final class Chromium {
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";

    private Chromium() {
    }

    /**
     * Starts a browser whose profile lives under {@code dir}; downloads go to {@code downloads}
     * when it is not {@code null}. Skips the test where Chromium is absent, fails under CI.
     */
    public static WebDriver start(Path dir, Path downloads) throws IOException {
        need(new File(CHROMEDRIVER).canExecute() && new File(CHROMIUM).canExecute(),
                CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // without the background-networking flags Chromium keeps trying hosts this machine cannot reach
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--window-size=1300,1000", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")));
        if (downloads != null) {
            options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
