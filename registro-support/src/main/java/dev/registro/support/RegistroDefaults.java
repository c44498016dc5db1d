package dev.registro.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code registro-defaults.yml}, the settings every registro service shares, below
 * all other property sources: a service's own {@code application.yml} says only what is
 * its own, and still overrides any of these, as the environment does.
 */
class RegistroDefaults implements EnvironmentPostProcessor, Ordered {

	static final String NAME = "registro-defaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(NAME)) {
			return;
		}
		try {
			for (PropertySource<?> defaults : new YamlPropertySourceLoader().load(NAME,
					new ClassPathResource(NAME + ".yml"))) {
				environment.getPropertySources().addLast(defaults);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
