package dev.registro.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A loopback TCP forwarder in front of a real server, that a test can close and open:
 * while closed, every connection is cut, as if the server were down. It lets a test take
 * "the broker" away from one service without stopping the broker other tests use.
 */
public final class TcpGate implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean open;

	public TcpGate(String targetHost, int targetPort, boolean open) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.open = open;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		daemon("tcp-gate-" + port(), this::acceptLoop);
	}

	/** A shut gate in front of the tests' broker, {@link TestBroker#get()}. */
	public static TcpGate shutInFrontOfTheBroker() {
		TestBroker broker = TestBroker.get();
		return new TcpGate(broker.host(), broker.port(), false);
	}

	/** Points the application under test at this gate instead of at the broker. */
	public void routeBrokerThrough(DynamicPropertyRegistry registry) {
		TestBroker.get().registerAccount(registry);
		registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
		registry.add("spring.rabbitmq.port", this::port);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** Lets connections through from now on. */
	public void open() {
		this.open = true;
	}

	/**
	 * Cuts every connection through the gate, and every new one until {@link #open()}.
	 */
	public void shut() {
		this.open = false;
		this.sockets.forEach(TcpGate::closeQuietly);
		this.sockets.clear();
	}

	@Override
	public void close() {
		shut();
		closeQuietly(this.server);
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (!this.open) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// the server socket was closed, or the target refused: the client sees a
				// cut connection
			}
		}
	}

	private void pump(Socket from, Socket to) {
		daemon("tcp-gate-pump", () -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side went away
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		});
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// nothing left to do
		}
	}

}
