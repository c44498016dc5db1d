package dev.registro.contract;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;

import dev.registro.contract.InvalidMessageException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RegistroCodecTests {

	private final RegistroCodec codec = new RegistroCodec();

	private static final LocalDateTime NOON = LocalDateTime.of(2026, 11, 29, 12, 0, 0);

	@Test
	void encodesExactlyTheOriginalFields() {
		byte[] body = this.codec.encode(new Registro("app1", NOON));

		assertThat(new String(body, StandardCharsets.UTF_8))
			.isEqualTo("{\"service_id\":\"app1\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}");
	}

	@Test
	void dropsSubSecondPrecisionLikeTheOriginal() {
		Registro registro = new Registro("app1", NOON.plusNanos(987_654_321));

		assertThat(registro.formattedTimestamp()).isEqualTo("2026-11-29 12:00:00");
	}

	@Test
	void readsWhatItWrites() throws Exception {
		Registro registro = new Registro("svc.with_all-chars.09", NOON);

		assertThat(this.codec.decode(this.codec.encode(registro))).isEqualTo(registro);
	}

	@Test
	void readsThePythonProducersStrDict() throws Exception {
		Registro registro = decode("{'service_id': 'app1', 'timestamp': '2025-04-10 13:26:02', 'action': 'registro'}");

		assertThat(registro).isEqualTo(new Registro("app1", LocalDateTime.of(2025, 4, 10, 13, 26, 2)));
	}

	@Test
	void readsJsonWithWhitespaceAndAnyFieldOrder() throws Exception {
		Registro registro = decode("""
				{
				  "action": "registro",
				  "timestamp": "2026-02-28 23:59:59",
				  "service_id": "app3"
				}
				""");

		assertThat(registro).isEqualTo(new Registro("app3", LocalDateTime.of(2026, 2, 28, 23, 59, 59)));
	}

	@Test
	void refusesAnEmptyBody() {
		assertRejected(new byte[0], Kind.MALFORMED, "empty");
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json", "app1", "   ", "{", "{\"service_id\":\"app1\"", "{service_id: app1}",
			"{'service_id': 'app1', 'timestamp': '2025-04-10 13:26:02', 'action': 'registro', 'ok': True}", "<xml/>" })
	void refusesWhatIsNeitherJsonNorAPythonDict(String body) {
		assertThatExceptionOfType(InvalidMessageException.class).isThrownBy(() -> decode(body))
			.satisfies(ex -> assertThat(ex.kind()).isIn(Kind.MALFORMED, Kind.UNKNOWN_FIELD));
	}

	@ParameterizedTest
	@ValueSource(strings = { "[]", "\"registro\"", "42", "null" })
	void refusesJsonThatIsNotAnObject(String body) {
		assertRejected(body, Kind.MALFORMED, "not an object");
	}

	@Test
	void refusesContentAfterTheObject() {
		assertRejected(valid("app1") + "{}", Kind.MALFORMED, "after the object");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"service_id\":1,\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}|service_id|a number",
			"{\"service_id\":null,\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}|service_id|null",
			"{\"service_id\":true,\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}|service_id|a boolean",
			"{\"service_id\":[\"app1\"],\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}|service_id|an array",
			"{\"service_id\":\"app1\",\"timestamp\":1764417600,\"action\":\"registro\"}|timestamp|a number",
			"{\"service_id\":\"app1\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":{\"a\":1}}|action|an object" })
	void refusesWrongTypes(String body, String field, String actual) {
		assertRejected(body, Kind.WRONG_TYPE, "'" + field + "' must be a string, was " + actual);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "{\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}|service_id",
					"{\"service_id\":\"app1\",\"action\":\"registro\"}|timestamp",
					"{\"service_id\":\"app1\",\"timestamp\":\"2026-11-29 12:00:00\"}|action", "{}|service_id" })
	void refusesMissingFields(String body, String field) {
		assertRejected(body, Kind.MISSING_FIELD, "missing field '" + field + "'");
	}

	@Test
	void refusesAFieldGivenTwice() {
		assertRejected(
				"{\"service_id\":\"app1\",\"service_id\":\"app2\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}",
				Kind.DUPLICATE_FIELD, "'service_id' appears twice");
	}

	@Test
	void refusesUnknownFields() {
		assertRejected(
				"{\"service_id\":\"app1\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\",\"count\":5}",
				Kind.UNKNOWN_FIELD, "unknown field 'count'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "app 1", "app/1", "app1\\n", "app1\\u0000", "ápp1", "服务", "app1😀", "app1'",
			"app1\\\\x", "<script>", "../etc" })
	void refusesOddServiceIds(String serviceId) {
		assertRejected(valid(serviceId), Kind.INVALID_SERVICE_ID, "1 to 64 characters");
	}

	@Test
	void acceptsAServiceIdOfExactly64CharactersAndRefuses65() throws Exception {
		assertThat(decode(valid("a".repeat(64))).serviceId()).hasSize(64);
		assertRejected(valid("a".repeat(65)), Kind.INVALID_SERVICE_ID, "1 to 64 characters");
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-11-29", "2026-11-29T12:00:00", "2026-02-30 12:00:00", "2026-11-29 24:00:00",
			"29/11/2026 12:00:00", "2026-11-29 12:00:00.123", "" })
	void refusesTimestampsThatAreNotRealSecondsOfTheContractFormat(String timestamp) {
		String body = "{\"service_id\":\"app1\",\"timestamp\":\"" + timestamp + "\",\"action\":\"registro\"}";

		assertRejected(body, Kind.INVALID_TIMESTAMP, "yyyy-MM-dd HH:mm:ss");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "REGISTRO", "baja", "registro " })
	void refusesAnyOtherAction(String action) {
		String body = "{\"service_id\":\"app1\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"" + action + "\"}";

		assertRejected(body, Kind.INVALID_ACTION, "action must be 'registro'");
	}

	@Test
	void refusesAOneMegabyteBodyBeforeParsingIt() {
		String padding = " ".repeat(1024 * 1024);
		assertRejected(padding + valid("app1"), Kind.TOO_LARGE, "limit of 16384");
	}

	@Test
	void refusesABodyInAnotherCharset() {
		byte[] latin1 = "{\"service_id\":\"app1\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"reg\u00edstro\"}"
			.getBytes(StandardCharsets.ISO_8859_1);

		assertRejected(latin1, Kind.NOT_UTF8, "not valid UTF-8");
	}

	@Test
	void refusesUtf16EvenWhenItSpellsAValidRegistration() {
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> this.codec.decode(valid("app1").getBytes(StandardCharsets.UTF_16)));
	}

	@Test
	void refusesDeeplyNestedJsonAtItsFirstNestedToken() {
		String deep = "{\"service_id\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

		assertRejected(new RegistroCodec(1024 * 1024), deep.getBytes(StandardCharsets.UTF_8), Kind.WRONG_TYPE,
				"an array");
	}

	@Test
	void describesTheProblemWithoutEchoingALongValue() {
		String body = "{\"service_id\":\"app1\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"" + "x".repeat(5000)
				+ "\"}";

		assertThatExceptionOfType(InvalidMessageException.class).isThrownBy(() -> decode(body))
			.satisfies(ex -> assertThat(ex.getMessage()).hasSizeLessThan(120));
	}

	@Test
	void neverBuildsARegistroWithAnInvalidServiceId() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Registro("no spaces", NOON));
		assertThatIllegalArgumentException().isThrownBy(() -> new Registro(null, NOON));
	}

	@Test
	void refusesALimitTooSmallForAnyRegistration() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistroCodec(10));
	}

	private static String valid(String serviceId) {
		return "{\"service_id\":\"" + serviceId + "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}";
	}

	private Registro decode(String body) throws InvalidMessageException {
		return this.codec.decode(body.getBytes(StandardCharsets.UTF_8));
	}

	private void assertRejected(String body, Kind kind, String messagePart) {
		assertRejected(body.getBytes(StandardCharsets.UTF_8), kind, messagePart);
	}

	private void assertRejected(byte[] body, Kind kind, String messagePart) {
		assertRejected(this.codec, body, kind, messagePart);
	}

	private static void assertRejected(RegistroCodec codec, byte[] body, Kind kind, String messagePart) {
		assertThatExceptionOfType(InvalidMessageException.class).isThrownBy(() -> codec.decode(body)).satisfies(ex -> {
			assertThat(ex.kind()).isEqualTo(kind);
			assertThat(ex.getMessage()).contains(messagePart);
		});
	}

}
