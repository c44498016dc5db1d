package dev.registro.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.HasAuthentication;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The panel in a real browser, through the gateway: Debian's chromium through its
 * chromedriver, logged in through the browser's own HTTP Basic prompt (answered by the
 * driver, never written in the page). One click registers, and the count, the charts and
 * the log tail follow without a reload. A screenshot is left in {@code target/panel.png}
 * for people to look at.
 */
class PanelBrowserEndToEndTests {

	private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path
		.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));

	private final LocalStack stack = LocalStack.get();

	private ChromeDriver browser;

	private Path profile;

	@BeforeEach
	void openBrowser() throws IOException {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			throw new IllegalStateException("The panel's browser test needs Debian's chromium and chromium-driver ("
					+ CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver, "
					+ "or set CHROMIUM and CHROMEDRIVER");
		}
		this.profile = Files.createTempDirectory("panel-browser");
		this.browser = open("en");
	}

	/**
	 * A headless chromium that asks for pages in this language and answers the admin
	 * login.
	 */
	private ChromeDriver open(String language) {
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
					"--window-size=1300,1500", "--user-data-dir=" + this.profile + "/" + language, "--lang=" + language)
			.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
		ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver chrome = new ChromeDriver(driver, options);
		((HasAuthentication) chrome).register(UsernameAndPassword.of(LocalStack.ADMIN, LocalStack.PASSWORD));
		return chrome;
	}

	@AfterEach
	void closeBrowser() throws IOException {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.profile != null) {
			try (var files = Files.walk(this.profile)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
			}
		}
	}

	@Test
	void aClickRegistersAndTheCountChartsAndLogFollowWithoutAReload() throws Exception {
		String id = "app1";
		this.browser.get(this.stack.uri("/panel").toString());
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.browser.findElements(By.id("total")).isEmpty());
		await().atMost(Duration.ofSeconds(30)).until(() -> text("live").startsWith("live ·"));
		// A mark on this page, which a reload would wipe out.
		script("window.registroTestMark = 'still the same page'");
		long before = countOf(id);
		long pointsBefore = ((Number) script("return Chart.getChart('rate-chart').data.datasets[0].data.length"))
			.longValue();

		this.browser.findElement(By.cssSelector("button.register[data-service='" + id + "']")).click();

		String result = await().atMost(Duration.ofSeconds(30))
			.until(() -> text("register-result"), text -> text.contains("registered"));
		Matcher messageId = Pattern.compile("\\(([0-9a-f-]{36})\\)").matcher(result);
		assertThat(messageId.find()).as(result).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> countOf(id) == before + 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> text("log").contains(messageId.group(1)));
		await().atMost(Duration.ofSeconds(30)).until(() -> chartCount(id) == before + 1);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ((Number) script("return Chart.getChart('rate-chart').data.datasets[0].data.length"))
				.longValue() > pointsBefore);
		assertThat(script("return window.registroTestMark")).as("the page was not reloaded")
			.isEqualTo("still the same page");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(text("parts")).containsPattern(id + "\\s+UP")
				.containsPattern("reporte\\s+UP")
				.containsPattern("logger\\s+UP")
				.containsPattern("broker\\s+UP"));

		Path screenshot = Path.of("target", "panel.png");
		Files.createDirectories(screenshot.getParent());
		Files.copy(((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
				StandardCopyOption.REPLACE_EXISTING);
	}

	@Test
	void speaksSpanishToABrowserThatAsksForItAndItsButtonsStillRegister() throws Exception {
		this.browser.quit();
		this.browser = open("es");
		this.browser.get(this.stack.uri("/panel").toString());
		await().atMost(Duration.ofSeconds(30)).until(() -> text("live").startsWith("en vivo ·"));
		long before = countOf("app2");

		this.browser.findElement(By.cssSelector("button.register[data-service='app2']")).click();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> text("register-result"), text -> text.contains("registrado a las"));
		await().atMost(Duration.ofSeconds(30)).until(() -> countOf("app2") == before + 1);
		assertThat(this.browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("es");
		assertThat(this.browser.getPageSource()).contains("Registros por servicio", "Log central", "Registrar app1")
			.doesNotContain("Count per service");
		assertThat(text("parts")).contains("listo");
		this.browser.get(this.stack.uri("/logs").toString());
		assertThat(this.browser.getPageSource()).contains("Log central").doesNotContain("Central log");

		Path screenshot = Path.of("target", "panel-es.png");
		Files.copy(((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
				StandardCopyOption.REPLACE_EXISTING);
	}

	/** The count the table shows, read in one script. */
	private long countOf(String serviceId) {
		Object count = script(
				"const row = document.querySelector('#counts tbody tr[data-key=\"' + arguments[0] + '\"]');"
						+ " return row ? Number(row.querySelector('[data-field=count]').textContent) : 0;",
				serviceId);
		return ((Number) count).longValue();
	}

	/** The visible text of an element, read in one script. */
	private String text(String id) {
		return (String) script("const e = document.getElementById(arguments[0]); return e ? e.innerText : '';", id);
	}

	private long chartCount(String serviceId) {
		Object count = script(
				"const c = Chart.getChart('counts-chart').data;"
						+ "const i = c.labels.indexOf(arguments[0]); return i < 0 ? 0 : c.datasets[0].data[i];",
				serviceId);
		return ((Number) count).longValue();
	}

	private Object script(String code, Object... arguments) {
		return ((JavascriptExecutor) this.browser).executeScript(code, arguments);
	}

}
