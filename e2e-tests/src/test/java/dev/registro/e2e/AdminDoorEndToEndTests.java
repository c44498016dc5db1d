package dev.registro.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin door through the gateway as a user's stack has it (the default admin rate
 * limit): guessed passwords meet 429s while the admin keeps getting in, the panel judges
 * the client and the origin the gateway saw, nothing listens beyond loopback, and HTTPS
 * works with a self-signed pair while plain HTTP redirects to it. Guessers come from
 * other loopback addresses (127.0.0.2, 127.0.0.3) than the admin (127.0.0.1), as they
 * would from other machines.
 */
class AdminDoorEndToEndTests {

	private static final LocalStack stack = LocalStack.get();

	@BeforeAll
	static void gatewayAsAUserHasIt() {
		stack.startGateway(Map.of());
	}

	@AfterAll
	static void gatewayAsTheTestsHaveIt() {
		stack.startGateway();
	}

	@Test
	void sixtyWrongLoginsInARowMeetJson429sWhileTheAdminGetsInFromElsewhere() throws Exception {
		List<Answer> guesses = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			guesses.add(from("127.0.0.2", "/reportes", LocalStack.basic(LocalStack.ADMIN, "guess-" + i)));
			if (i % 10 == 9) {
				assertThat(stack.getAsAdmin("/reportes").statusCode()).as("the admin after %d guesses", i + 1)
					.isEqualTo(200);
			}
		}

		assertThat(guesses.subList(0, 10)).extracting(Answer::status).containsOnly(401);
		assertThat(guesses.subList(10, 60)).allSatisfy(answer -> {
			assertThat(answer.status()).isEqualTo(429);
			assertThat(answer.headers().get("Content-Type")).contains("json");
			assertThat(answer.headers().get("Retry-After")).matches("[1-9][0-9]*");
			assertThat(JsonPath.<Integer>read(answer.body(), "$.status")).isEqualTo(429);
		});
		assertThat(stack.getAsAdmin("/reportes").statusCode()).isEqualTo(200);
	}

	@Test
	void thePanelJudgesTheClientAndTheOriginTheGatewaySaw() throws Exception {
		// The client's address: the panel throttles 127.0.0.3, not the gateway's
		// 127.0.0.1.
		for (int i = 0; i < 10; i++) {
			assertThat(from("127.0.0.3", "/panel/api/state", LocalStack.basic(LocalStack.ADMIN, "guess-" + i)).status())
				.isEqualTo(401);
		}
		Answer throttled = from("127.0.0.3", "/panel/api/state",
				LocalStack.basic(LocalStack.ADMIN, LocalStack.PASSWORD));
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(JsonPath.<String>read(throttled.body(), "$.detail")).contains("failed logins");
		assertThat(stack.getAsAdmin("/panel/api/state").statusCode()).isEqualTo(200);

		// The origin: the page's own is the gateway's, which only the forwarded host and
		// scheme tell the panel.
		String page = "http://127.0.0.1:" + LocalStack.BASE_PORT;
		assertThat(register(stack.uri("/panel/api/register/app1"), page, null).statusCode()).isEqualTo(200);
		assertThat(register(stack.uri("/panel/api/register/app1"), "https://evil.example", null).statusCode())
			.isEqualTo(403);
		assertThat(register(stack.uri("/panel/api/register/app1"), null, "cross-site").statusCode()).isEqualTo(403);
		assertThat(stack.getAsAdmin("/panel").body()).contains("data-state-url=\"/panel/api/state\"");
	}

	@Test
	void noPartListensBeyondLoopback() throws IOException {
		Map<Integer, List<InetAddress>> listening = listeningSockets();
		List<Integer> ports = new ArrayList<>(LocalStack.PARTS.stream().map(LocalStack::port).toList());
		ports.add(LocalStack.BASE_PORT);
		for (int port : ports) {
			assertThat(listening.get(port)).as("what listens on port %d", port)
				.isNotEmpty()
				.allSatisfy(address -> assertThat(address.isLoopbackAddress()).as(address.toString()).isTrue());
		}
	}

	@Test
	void servesHttpsWithASelfSignedPairAndRedirectsPlainHttpToIt(@TempDir Path dir) throws Exception {
		Process pair = new ProcessBuilder("bash", "scripts/gateway-tls-cert.sh", dir.toString())
			.directory(LocalStack.ROOT.toFile())
			.redirectErrorStream(true)
			.start();
		assertThat(pair.waitFor(60, TimeUnit.SECONDS) && pair.exitValue() == 0)
			.as(new String(pair.getInputStream().readAllBytes()))
			.isTrue();
		Path certificate = dir.resolve("gateway.crt");
		stack.startGateway(Map.of("GATEWAY_TLS_CERT", certificate.toString(), "GATEWAY_TLS_KEY",
				dir.resolve("gateway.key").toString()));
		try {
			String https = "https://localhost:" + LocalStack.TLS_PORT;
			for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
				HttpClient client = HttpClient.newBuilder()
					.sslContext(trusting(certificate))
					.sslParameters(new SSLParameters(null, new String[] { protocol }))
					.build();
				HttpResponse<String> reportes = client.send(HttpRequest.newBuilder(URI.create(https + "/reportes"))
					.header("Authorization", LocalStack.basic(LocalStack.ADMIN, LocalStack.PASSWORD))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(reportes.statusCode()).as(protocol).isEqualTo(200);
				assertThat(reportes.sslSession())
					.hasValueSatisfying(session -> assertThat(session.getProtocol()).isEqualTo(protocol));
				assertThat(reportes.headers().allValues("Strict-Transport-Security"))
					.containsExactly("max-age=31536000");
				HttpResponse<String> registration = client.send(
						HttpRequest.newBuilder(URI.create(https + "/cliente/uno")).build(),
						HttpResponse.BodyHandlers.ofString());
				assertThat(registration.body()).contains("\"status\":\"message_sent\"");
				// The page's origin is https now: the forwarded scheme says so.
				assertThat(client
					.send(HttpRequest.newBuilder(URI.create(https + "/panel/api/register/app2"))
						.header("Authorization", LocalStack.basic(LocalStack.ADMIN, LocalStack.PASSWORD))
						.header("Origin", https)
						.POST(HttpRequest.BodyPublishers.noBody())
						.build(), HttpResponse.BodyHandlers.ofString())
					.statusCode()).isEqualTo(200);
			}

			HttpResponse<String> plain = stack.getAsAdmin("/reportes?from=plain");
			assertThat(plain.statusCode()).isEqualTo(301);
			assertThat(plain.headers().firstValue("Location"))
				.hasValue("https://127.0.0.1:" + LocalStack.TLS_PORT + "/reportes?from=plain");
			assertThat(stack.get("/healthz").statusCode()).isEqualTo(200);
		}
		finally {
			stack.startGateway(Map.of());
		}
	}

	private static HttpResponse<String> register(URI uri, String origin, String fetchSite)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.header("Authorization", LocalStack.basic(LocalStack.ADMIN, LocalStack.PASSWORD))
			.POST(HttpRequest.BodyPublishers.noBody());
		if (origin != null) {
			request.header("Origin", origin);
		}
		if (fetchSite != null) {
			request.header("Sec-Fetch-Site", fetchSite);
		}
		return stack.send(request.build());
	}

	private static SSLContext trusting(Path certificate) throws Exception {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		trusted.load(null);
		try (InputStream in = Files.newInputStream(certificate)) {
			trusted.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	/**
	 * A GET of the gateway from a source address of this machine's loopback network, over
	 * HTTP/1.0 so that the answer ends with the connection.
	 */
	private static Answer from(String source, String path, String authorization) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(source, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", LocalStack.BASE_PORT), 5000);
			socket.setSoTimeout(15_000);
			StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.0\r\n");
			request.append("Host: 127.0.0.1:").append(LocalStack.BASE_PORT).append("\r\n");
			request.append("Authorization: ").append(authorization).append("\r\n");
			socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int end = response.indexOf("\r\n\r\n");
			String[] head = response.substring(0, end).split("\r\n");
			Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			for (int i = 1; i < head.length; i++) {
				headers.put(head[i].substring(0, head[i].indexOf(':')),
						head[i].substring(head[i].indexOf(':') + 1).trim());
			}
			return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, response.substring(end + 4));
		}
	}

	/**
	 * The local addresses of every TCP socket of this machine that listens, by port, from
	 * the kernel's own tables.
	 */
	private static Map<Integer, List<InetAddress>> listeningSockets() throws IOException {
		Map<Integer, List<InetAddress>> listening = new TreeMap<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			List<String> lines = Files.readAllLines(Path.of(table));
			for (String line : lines.subList(1, lines.size())) {
				String[] fields = line.trim().split("\\s+");
				if (!fields[3].equals("0A")) {
					continue;
				}
				String[] local = fields[1].split(":");
				byte[] kernel = HexFormat.of().parseHex(local[0]);
				// The kernel prints each 32-bit word of the address in host
				// (little-endian) order.
				byte[] address = new byte[kernel.length];
				for (int word = 0; word < kernel.length; word += 4) {
					for (int i = 0; i < 4; i++) {
						address[word + i] = kernel[word + 3 - i];
					}
				}
				listening.computeIfAbsent(Integer.parseInt(local[1], 16), port -> new ArrayList<>())
					.add(InetAddress.getByAddress(address));
			}
		}
		return listening;
	}

	private record Answer(int status, Map<String, String> headers, String body) {
	}

}
