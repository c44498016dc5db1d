/**
 * The wire contract shared by every registro service: queue and exchange names, the
 * registration message and its two body formats. Plain Java, no Spring beans, so that
 * each service wires it the way it needs.
 */
package dev.registro.contract;
