package dev.registro.support.web;

import java.util.List;

import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway is.
 *
 * @param addresses the addresses the gateway's requests come from: only theirs
 * {@code X-Forwarded-*} headers are believed ({@code REGISTRO_GATEWAY_ADDRESSES}; compose
 * gives the gateway a fixed address for this)
 */
@ConfigurationProperties("registro.gateway")
@Validated
public record GatewayProperties(@DefaultValue( {
		"127.0.0.1", "::1" }) @NotEmpty List<String> addresses){
}
