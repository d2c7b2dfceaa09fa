package org.eseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eseg.infer.Segmenter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) loads
 * {@code /}, uploads an image, and must show the overlay and the legend. Chromium is installed with apt-get when it
 * is missing and this process may (root, apt-get present); otherwise the test is skipped, saying why.
 */
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static Segmenter segmenter;
    private static EsegServer server;
    private static WebDriver browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        installChromiumWhenPossible();
        segmenter = Segmenter.load(Fixtures.model());
        server = EsegServer.start(List.of(new ServedModel("street", segmenter)),
                ServeOptions.DEFAULT.withAddress("127.0.0.1", 0));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,900");
        // The driver is given, so Selenium Manager never looks for one on the network.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
        if (segmenter != null) {
            segmenter.close();
        }
    }

    @Test
    void uploadingAnImageShowsTheOverlayAndTheLegend() throws Exception {
        Path image = Files.write(dir.resolve("street.png"), Fixtures.png(48, 96, 21));
        browser.get(server.uri().toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(b -> b.findElements(By.cssSelector("#model option")).size() == 1);
        assertTrue(browser.findElement(By.cssSelector("#model option")).getText().startsWith("street (eseg-lite-s"));

        browser.findElement(By.id("file")).sendKeys(image.toString());
        wait.until(b -> b.findElement(By.id("result")).isDisplayed());

        JavascriptExecutor js = (JavascriptExecutor) browser;
        wait.until(b -> ((Number) js.executeScript("return document.getElementById('overlay').naturalWidth")).intValue()
                > 0);
        assertEquals(96L, js.executeScript("return document.getElementById('overlay').naturalWidth"));
        assertEquals(48L, js.executeScript("return document.getElementById('overlay').naturalHeight"));
        assertEquals(96L, js.executeScript("return document.getElementById('photo').naturalWidth"));
        WebElement overlay = browser.findElement(By.id("overlay"));
        assertTrue(overlay.isDisplayed());
        assertTrue(overlay.getAttribute("src").startsWith("data:image/png;base64,"));

        List<WebElement> rows = browser.findElements(By.cssSelector("#legend li"));
        assertEquals(segmenter.classes().size(), rows.size());
        double total = 0;
        for (WebElement row : rows) {
            String share = row.findElement(By.className("share")).getText();
            assertTrue(share.matches("\\d+\\.\\d %"), share);
            total += Double.parseDouble(share.replace(" %", ""));
            String swatch = row.findElement(By.className("swatch")).getCssValue("background-color");
            assertTrue(swatch.startsWith("rgb"), swatch);
        }
        assertEquals(100, total, 0.6);
        List<String> names = rows.stream().map(r -> r.getText()).toList();
        for (String name : segmenter.classes().names()) {
            assertTrue(names.stream().anyMatch(n -> n.contains(name)), name + " not in " + names);
        }
        assertTrue(browser.findElement(By.id("time")).getText().matches("96x48: inference \\d+ ms, request \\d+ ms"),
                browser.findElement(By.id("time")).getText());

        // The labels download is the PNG the API answers for the same image.
        String labels = browser.findElement(By.id("downloadLabels")).getAttribute("href");
        byte[] api = Fixtures.post(server.uri().resolve("/predictions/street"), Files.readAllBytes(image)).body();
        assertEquals(java.util.Base64.getEncoder().encodeToString(api),
                labels.substring("data:image/png;base64,".length()));

        // The slider sets the overlay's opacity.
        js.executeScript("const s = document.getElementById('opacity'); s.value = 80;"
                + "s.dispatchEvent(new Event('input'));");
        assertEquals("0.8", overlay.getCssValue("opacity"));
    }

    /**
     * Installs Debian's chromium and its driver when they are missing and this process can (root with apt-get),
     * printing what it does; otherwise skips the test with the reason.
     */
    static synchronized void installChromiumWhenPossible() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        Path aptGet = Path.of("/usr/bin/apt-get");
        boolean root = "0".equals(run(List.of("id", "-u")).strip());
        Assumptions.assumeTrue(Files.isExecutable(aptGet) && root, "browser test skipped: " + CHROMIUM + " or "
                + CHROMEDRIVER + " is missing and cannot be installed here (needs root and apt-get; install the "
                + "Debian packages chromium and chromium-driver)");
        System.out.println("BrowserTest: installing chromium and chromium-driver with apt-get");
        String log = run(List.of("sh", "-c",
                "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver"));
        System.out.println(log.lines().skip(Math.max(0, log.lines().count() - 5)).reduce("", (a, b) -> a + b + "\n"));
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: apt-get could not install chromium and chromium-driver:\n" + log);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
