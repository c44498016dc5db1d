package dev.registro.panel.dashboard;

/**
 * What a client answered a registration the panel made for a person.
 *
 * @param status its HTTP status
 * @param body its answer; null when it could not be reached
 */
public record ClientAnswer(int status, String body) {
}
