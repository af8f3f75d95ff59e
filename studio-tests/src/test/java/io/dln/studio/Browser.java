package io.dln.studio;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Debian's chromedriver, headless, in the light theme. Nothing is downloaded: the
 * browser and driver are named explicitly (CHROMIUM and CHROMEDRIVER override /usr/bin/chromium and
 * /usr/bin/chromedriver), so Selenium Manager is never asked. Absent, the tests are skipped with the reason, except
 * on CI (CI=true), where they fail.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Dimension WIDE = new Dimension(1280, 900);
    static final Dimension NARROW = new Dimension(420, 900);

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Call before starting anything else: skips (or on CI fails) when Chromium or chromedriver is missing. */
    static void requireChromium() {
        List<String> missing = java.util.stream.Stream.of(chromium(), chromedriver())
                .filter(p -> !Files.isExecutable(Path.of(p))).toList();
        if (missing.isEmpty()) return;
        String reason = "the Studio's browser tests need Debian's chromium and chromedriver (apt-get install chromium "
                + "chromium-driver); missing: " + missing;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(reason);
        Assumptions.abort(reason);
    }

    static Browser start() {
        System.setProperty("webdriver.chrome.driver", chromedriver());
        Path profile;
        try {
            profile = Files.createTempDirectory("studio-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(chromium()).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile,
                "--window-size=" + WIDE.width + "," + WIDE.height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver()))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
        return new Browser(driver, profile);
    }

    private static String chromium() {
        return System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    }

    private static String chromedriver() {
        return System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
    }

    void open(String url) {
        driver.get(url);
    }

    /** Goes to a view of the Studio already loaded, as a click on a link would. */
    void go(String hash) {
        js("location.hash = arguments[0]", hash);
    }

    <T> T await(ExpectedCondition<T> condition) {
        return await(condition, Duration.ofSeconds(30));
    }

    <T> T await(ExpectedCondition<T> condition, Duration timeout) {
        // the Studio re-renders views as data arrives: an element seen a moment ago may have been replaced
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    WebElement find(String css) {
        return await(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
        });
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for the page's heading to read {@code text}. */
    WebElement heading(String text) {
        return await(d -> {
            List<WebElement> h1 = d.findElements(By.cssSelector("main h1"));
            return !h1.isEmpty() && h1.getFirst().getText().contains(text) ? h1.getFirst() : null;
        });
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** A screenshot in the wide window and, with {@code narrowToo}, in a phone-sized one. */
    void screenshot(String name, boolean narrowToo) {
        save(name);
        if (!narrowToo) return;
        driver.manage().window().setSize(NARROW);
        try {
            await(d -> js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"));
            save(name + "-narrow");
        } finally {
            driver.manage().window().setSize(WIDE);
        }
    }

    /** The whole page, not only the window (at most 4,000 pixels high). */
    private void save(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Number> size = (Map<String, Number>) metrics.get("cssContentSize");
            double width = size.get("width").doubleValue();
            double height = Math.min(4000, size.get("height").doubleValue());
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
            Files.write(SCREENSHOTS.resolve(name + ".png"), java.util.Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover profile in the temp directory does no harm
            }
        }
    }
}
