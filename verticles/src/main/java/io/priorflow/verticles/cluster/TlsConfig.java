package io.priorflow.verticles.cluster;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Locale;

/**
 * Event-bus TLS with mutual authentication: every node presents the certificate in its key store and accepts only
 * peers whose certificate chains to one in its trust store ({@link ClientAuth#REQUIRED}, both ways). A node without
 * such a certificate cannot send a message to, or receive one from, the others. Peers are not checked by host
 * name (Vert.x turns that off for the bus): the trust store is the whole policy, so give it only the cluster's
 * certificates (or its private CA).
 *
 * <p>Store type by file name: {@code .jks} is JKS, anything else PKCS12 ({@code .p12}, {@code .pfx}). Not here:
 * Hazelcast's own traffic (membership, the model map), which open-source Hazelcast neither encrypts nor
 * authenticates; see the README's threat model.
 *
 * @param keyStore           this node's private key and certificate chain
 * @param keyStorePassword   the key store's password (also the key's)
 * @param trustStore         the certificates of the peers (or their CA) this node accepts
 * @param trustStorePassword the trust store's password
 */
public record TlsConfig(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {
  /** Environment variable a node reads the key store password from when no option gives it. */
  public static final String KEY_STORE_PASSWORD_ENV = "PF_KEY_STORE_PASSWORD";
  /** Environment variable a node reads the trust store password from when no option gives it. */
  public static final String TRUST_STORE_PASSWORD_ENV = "PF_TRUST_STORE_PASSWORD";

  /** Checks that both stores open with their passwords, the key store holds a key, the trust store a certificate. */
  public TlsConfig {
    if (keyStore == null || trustStore == null) {
      throw new IllegalArgumentException("--tls needs --key-store and --trust-store");
    }
    keyStore = keyStore.toAbsolutePath();
    trustStore = trustStore.toAbsolutePath();
    if (keyStorePassword == null) {
      throw new IllegalArgumentException("--tls needs the key store's password: --key-store-password or $"
          + KEY_STORE_PASSWORD_ENV);
    }
    if (trustStorePassword == null) {
      throw new IllegalArgumentException("--tls needs the trust store's password: --trust-store-password or $"
          + TRUST_STORE_PASSWORD_ENV);
    }
    KeyStore keys = open("key store", keyStore, keyStorePassword);
    KeyStore trusted = open("trust store", trustStore, trustStorePassword);
    try {
      if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKey(keys, a))) {
        throw new IllegalArgumentException(keyStore + ": the key store holds no private key (HINT: keytool "
            + "-genkeypair)");
      }
      if (Collections.list(trusted.aliases()).stream().noneMatch(a -> isCertificate(trusted, a))) {
        throw new IllegalArgumentException(trustStore + ": the trust store holds no certificate (HINT: keytool "
            + "-importcert)");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(keyStore + ": cannot list the store: " + e.getMessage());
    }
  }

  /** Names the stores, never the passwords. */
  @Override
  public String toString() {
    return "TlsConfig[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
  }

  /**
   * Turns TLS on in these options: the key and trust stores, client authentication required, and the servers'
   * certificates checked too: the event bus trusts every server by default ({@code EventBusOptions.DEFAULT_TRUST_ALL}
   * is true in Vert.x 5.1), which would let this node send messages to a node holding any certificate.
   */
  public EventBusOptions apply(EventBusOptions options) {
    return options.setSsl(true).setTrustAll(false)
        .setKeyCertOptions(options(keyStore, keyStorePassword))
        .setTrustOptions(options(trustStore, trustStorePassword))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  /** "JKS" for a .jks file, else "PKCS12". */
  static String type(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
  }

  /**
   * JksOptions or PfxOptions, not the generic KeyStoreOptions: the clustered bus copies its options through JSON,
   * which keeps only those two kinds of store (Vert.x 5.1 TCPSSLOptions.toJson), so a generic store would silently
   * leave the bus's client without a certificate.
   */
  private static KeyStoreOptionsBase options(Path file, String password) {
    return type(file).equals("JKS") ? new JksOptions().setPath(file.toString()).setPassword(password)
        : new PfxOptions().setPath(file.toString()).setPassword(password);
  }

  private static KeyStore open(String what, Path file, String password) {
    if (!Files.isReadable(file)) throw new IllegalArgumentException(file + ": no such " + what + " (or not readable)");
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(type(file));
      ks.load(in, password.toCharArray());
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": cannot open the " + what + " as " + type(file) + ": "
          + e.getMessage() + " (HINT: a wrong password reads as a corrupted or tampered file)");
    }
  }

  private static boolean isKey(KeyStore ks, String alias) {
    try {
      return ks.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isCertificate(KeyStore ks, String alias) {
    try {
      return ks.getCertificate(alias) != null;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
